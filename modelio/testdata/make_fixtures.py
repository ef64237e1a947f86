#!/usr/bin/env python3
"""Makes the model-file fixtures of package modelio (run once; the files are
committed, so the tests need no PyTorch):

    cd modelio/testdata && /usr/bin/python3 make_fixtures.py

with Debian's python3-torch (1.13) and python3-numpy. It writes

  mlp1d.pt, mlp1d.npz, mlp1d.safetensors  the notebook's MyScore layout
      (net.0, net.2, net.4: 2 -> 5 -> 4 -> 1, tanh) in the three formats;
      the .safetensors file is written by hand below (the safetensors
      package is not in Debian): 8-byte header length, JSON header, data;
  mlp2d.pt      a 2-D network (3 -> 6 -> 2), saved from a module wrapped
      the way DistributedDataParallel wraps it (keys module.net.0.weight, ...);
  mlp1d_double.pt, mlp1d_compressed.npz  the same network in float64 (torch
      .double()) and through np.savez_compressed (deflated members);
  wholemodel.pt torch.save(model) of the whole module (refused: not a state_dict);
  legacy.pt     the state_dict in the pre-1.6 format (refused, with how to re-save);
  mlp1d_quantiles.npy  the quantiles at levels (k+0.5)/1000, k < 1000, of
      40000 samples drawn from mlp1d by the notebook's reverse-time
      Euler-Maruyama (VESDE.backward_sampling, eta 0.03..2, 100 steps), to
      compare 'scoresde sample --model mlp1d.pt' with;
  expected.json PyTorch's own u(x, t) of both networks at a few points,
      in float32 arithmetic, printed as float64.
"""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn


class MyScore(nn.Module):
    def __init__(self, widths):
        super().__init__()
        layers = []
        for a, b in zip(widths[:-1], widths[1:]):
            layers += [nn.Linear(a, b), nn.Tanh()]
        self.net = nn.Sequential(*layers[:-1])

    def forward(self, x, t):
        return self.net(torch.cat((x, t), dim=1))


class Wrapper(nn.Module):  # DistributedDataParallel's key layout
    def __init__(self, module):
        super().__init__()
        self.module = module


def save_safetensors(path, sd):
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        b = v.detach().numpy().astype('<f4').tobytes()
        header[k] = {"dtype": "F32", "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def backward_sampling(model, n, steps, eta_min=0.03, eta_max=2.0, T=1.0):
    """The notebook's VESDE.prior and VESDE.backward_sampling, final states."""
    X = torch.randn(n).reshape(-1, 1) * eta_max
    dt = T / steps
    for i in range(steps):
        b = torch.randn_like(X)
        t = T - i * dt * torch.ones_like(X)
        sigma = eta_min * (eta_max / eta_min) ** (t / T)
        g = sigma * math.sqrt(2 * (math.log(eta_max) - math.log(eta_min)) / T)
        X = X + (g**2 * model(X, t)) * dt + math.sqrt(dt) * g * b
    return X


def main():
    torch.manual_seed(15)
    expected = {}
    m1 = MyScore([2, 5, 4, 1])
    sd = m1.state_dict()
    torch.save(sd, "mlp1d.pt")
    np.savez("mlp1d.npz", **{k: v.numpy() for k, v in sd.items()})
    save_safetensors("mlp1d.safetensors", sd)
    torch.save({k: v.double() for k, v in sd.items()}, "mlp1d_double.pt")
    np.savez_compressed("mlp1d_compressed.npz", **{k: v.numpy() for k, v in sd.items()})
    torch.save(m1, "wholemodel.pt")
    torch.save(sd, "legacy.pt", _use_new_zipfile_serialization=False)
    x1 = torch.tensor([[-1.5], [-0.3], [0.0], [0.7], [2.2]])
    m2 = MyScore([3, 6, 2])
    torch.save(Wrapper(m2).state_dict(), "mlp2d.pt")
    x2 = torch.tensor([[-1.0, 0.5], [0.0, 0.0], [0.3, -2.0]])
    with torch.no_grad():
        for name, m, x in (("mlp1d", m1, x1), ("mlp2d", m2, x2)):
            rows = []
            for t in (0.0, 0.25, 1.0):
                u = m(x, torch.full((x.shape[0], 1), t))
                rows.append({"t": t, "x": x.tolist(), "u": u.double().tolist()})
            expected[name] = rows
    with torch.no_grad():
        smp = backward_sampling(m1, 40000, 100).double().numpy().ravel()
    levels = (np.arange(1000) + 0.5) / 1000
    np.save("mlp1d_quantiles.npy", np.quantile(smp, levels))
    with open("expected.json", "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
