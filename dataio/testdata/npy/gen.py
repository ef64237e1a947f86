# Regenerates the reference .npy files used by dataio's tests, written by
# numpy itself so the reader is checked against an independent writer.
# Run with a python3 that has numpy (Debian: apt-get install python3-numpy):
#   python3 gen.py
import numpy as np

a = np.array([[0.1, -2.5, 1e-300], [1.0 / 3.0, 4.0, -0.0], [6.02e23, -7.0, 8.5], [9.0, 10.25, -11.0]])
np.save("f8_2d.npy", a)                               # (4, 3) '<f8', C order
np.save("f8_be_2d.npy", a.astype(">f8"))              # big-endian
np.save("f8_fortran_2d.npy", np.asfortranarray(a))    # fortran_order True
np.save("f4_1d.npy", np.array([0.1, -2.5, 3e38, 7.0], dtype="<f4"))
np.save("f4_be_2d.npy", a[:, :2].astype(">f4"))
np.save("i8_1d.npy", np.arange(3, dtype=np.int64))
np.save("i4_2d.npy", np.arange(6, dtype=np.int32).reshape(3, 2))
np.save("c16_1d.npy", np.array([1 + 2j, 3 - 1j]))
np.save("bool_1d.npy", np.array([True, False]))
np.save("f2_1d.npy", np.array([1.5, 2.0], dtype=np.float16))
np.save("object_1d.npy", np.array([1.0, "a"], dtype=object), allow_pickle=True)
np.save("unicode_1d.npy", np.array(["a", "bc"]))
np.save("record_1d.npy", np.zeros(2, dtype=[("x", "<f8"), ("y", "<f8")]))
np.save("scalar_0d.npy", np.float64(3.5))
np.save("f8_3d.npy", np.zeros((2, 3, 4)))
np.save("f8_empty.npy", np.zeros((0, 2)))
np.save("f8_nocols.npy", np.zeros((3, 0)))
np.save("f8_nan.npy", np.array([[1.0, 2.0], [3.0, np.nan]]))
with open("f8_2d.npy", "rb") as f:
    whole = f.read()
with open("f8_truncated.npy", "wb") as f:
    f.write(whole[:-20])
