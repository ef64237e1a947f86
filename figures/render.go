package figures

import (
	"fmt"
	"image/color"
	"image/png"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"scoresde/atomicfile"
)

// figure is a drawing of w×h inches.
type figure struct {
	w, h float64
	draw func(dc draw.Canvas)
}

// save renders the figure to path.png (at dpi dots per inch) and path.svg.
func (f figure) save(path string) (err error) {
	if path == "" {
		return fmt.Errorf("figures: empty output path; give a path without extension")
	}
	// gonum/plot reports some drawing problems by panicking; inputs are
	// validated before drawing, so this only turns an unforeseen case into
	// an error instead of a crash.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("figures: drawing %s: %v", path, r)
		}
	}()
	w, h := vg.Length(f.w)*vg.Inch, vg.Length(f.h)*vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	f.paint(draw.New(img))
	if err := atomicfile.Write(path+".png", func(out io.Writer) error {
		// Fastest deflate: figures are flat colours and lines, which it
		// still compresses well, and the default level took a third of
		// the drawing time.
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(out, img.Image())
	}); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	svg := vgsvg.New(w, h)
	f.paint(draw.New(svg))
	if err := atomicfile.Write(path+".svg", func(out io.Writer) error {
		_, err := svg.WriteTo(out)
		return err
	}); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}

// paint fills the background, which the SVG canvas leaves transparent, and
// draws the figure.
func (f figure) paint(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f.draw(dc)
}

// Margins around a figure and between panels.
const (
	edgePad  = vg.Length(8)
	panelGap = vg.Length(30)
)

// gridFigure lays charts out in rows with aligned data areas; nil entries
// leave a tile empty.
func gridFigure(w, h float64, rows [][]*chart) figure {
	return figure{w: w, h: h, draw: func(dc draw.Canvas) {
		tiles := draw.Tiles{
			Rows: len(rows), Cols: len(rows[0]),
			PadX: panelGap, PadY: panelGap,
			PadTop: edgePad, PadBottom: edgePad, PadLeft: edgePad, PadRight: 2 * edgePad,
		}
		plots := make([][]*plot.Plot, len(rows))
		for i, row := range rows {
			plots[i] = make([]*plot.Plot, len(row))
			for j, c := range row {
				if c != nil {
					plots[i][j] = c.p
				}
			}
		}
		// Placing legends may raise a y range, which can change tick
		// labels and so the alignment: align, place, then align again.
		canvases := plot.Align(plots, tiles, dc)
		for i, row := range rows {
			for j, c := range row {
				if c != nil {
					c.placeLegend(canvases[i][j])
				}
			}
		}
		canvases = plot.Align(plots, tiles, dc)
		for i, row := range rows {
			for j, c := range row {
				if c != nil {
					c.draw(canvases[i][j])
				}
			}
		}
	}}
}
