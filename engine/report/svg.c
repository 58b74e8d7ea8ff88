/*
 * The SVG primitives of the HTML pages (html_internal.h): coordinates are
 * tenths of a pixel held in integers and printed without printf's floating
 * point, so a page's bytes depend on its data alone.
 */
#include "report/html_internal.h"

void tc_svg_coord(tc_buf *b, int64_t v)
{
	if (v < 0) {
		tc_buf_addc(b, '-');
		v = -v;
	}
	tc_buf_add_i64(b, v / TC_SVG_PX);
	if (v % TC_SVG_PX) {
		tc_buf_addc(b, '.');
		tc_buf_addc(b, (char)('0' + v % TC_SVG_PX));
	}
}

void tc_svg_attr(tc_buf *b, const char *name, int64_t v)
{
	tc_buf_addc(b, ' ');
	tc_buf_adds(b, name);
	tc_buf_adds(b, "=\"");
	tc_svg_coord(b, v);
	tc_buf_addc(b, '"');
}

void tc_svg_shape(tc_buf *b, const char *tag, const char *cls)
{
	tc_buf_addc(b, '<');
	tc_buf_adds(b, tag);
	tc_buf_adds(b, " class=\"");
	tc_buf_adds(b, cls);
	tc_buf_addc(b, '"');
}

void tc_svg_rect(tc_buf *b, const char *cls, int64_t x1, int64_t x2, int64_t y, int64_t h)
{
	tc_svg_shape(b, "rect", cls);
	tc_svg_attr(b, "x", x1);
	tc_svg_attr(b, "y", y);
	tc_svg_attr(b, "width", x2 - x1);
	tc_svg_attr(b, "height", h);
	tc_buf_adds(b, "/>");
}

void tc_svg_line(tc_buf *b, const char *cls, int64_t x1, int64_t y1, int64_t x2, int64_t y2)
{
	tc_svg_shape(b, "line", cls);
	tc_svg_attr(b, "x1", x1);
	tc_svg_attr(b, "y1", y1);
	tc_svg_attr(b, "x2", x2);
	tc_svg_attr(b, "y2", y2);
}

void tc_svg_open(tc_buf *b, const char *cls, int64_t w, int64_t h, const char *label)
{
	tc_buf_adds(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ");
	tc_buf_adds(b, cls);
	tc_buf_adds(b, "\" role=\"img\" aria-label=\"");
	tc_buf_adds(b, label);
	tc_buf_addc(b, '"');
	tc_svg_attr(b, "width", w);
	tc_svg_attr(b, "height", h);
	tc_buf_adds(b, " viewBox=\"0 0 ");
	tc_svg_coord(b, w);
	tc_buf_addc(b, ' ');
	tc_svg_coord(b, h);
	tc_buf_adds(b, "\">\n");
}
