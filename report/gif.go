package report

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/png"
)

// figureImage checks a figure's image and returns its size and MIME type:
// the PNG, or else the GIF (an animation).
func figureImage(f Figure) (image.Config, string, error) {
	switch {
	case len(f.PNG) > 0:
		cfg, err := png.DecodeConfig(bytes.NewReader(f.PNG))
		if err != nil {
			return cfg, "", fmt.Errorf("is not a valid PNG: %w; encode it with image/png", err)
		}
		return cfg, "image/png", nil
	case len(f.GIF) > 0:
		cfg, err := gif.DecodeConfig(bytes.NewReader(f.GIF))
		if err != nil {
			return cfg, "", fmt.Errorf("is not a valid GIF: %w; encode it with image/gif", err)
		}
		return cfg, "image/gif", nil
	}
	return image.Config{}, "", fmt.Errorf("has no PNG data (nor a GIF); pass the encoded image in Figure.PNG, or an animation in Figure.GIF")
}

func imageBytes(f Figure) []byte {
	if len(f.PNG) > 0 {
		return f.PNG
	}
	return f.GIF
}
