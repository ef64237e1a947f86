package report

import (
	_ "embed"
	"html/template"
)

// page.html must stay well-formed XML: close every element (<br />, <img />),
// quote every attribute, use no named entities but &amp; &lt; &gt; &quot;,
// and keep "<" and "&" out of the style sheet.
//
//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(pageHTML))
