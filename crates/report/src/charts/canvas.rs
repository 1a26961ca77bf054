//! Turning a chart drawing into PNG bytes and SVG text, with the embedded font.
//!
//! plotters draws on a backend; [`TextBackend`] wraps plotters' bitmap and SVG backends and
//! draws all text itself from the embedded font's outlines: anti-aliased pixels for PNG, and
//! `<path>` glyphs (defined once, placed with `<use>`) for SVG, so an SVG needs no font on the
//! machine that opens it. Everything else is plotters' own drawing.
//!
//! PNGs are drawn at twice the size and halved (2×2 averaging), which smooths plotters'
//! un-anti-aliased lines; they carry a 192 dpi resolution so that Word places a 1200-pixel
//! chart 15.9 cm wide, the text width of an A4 page.

use super::font::{self, Placed};
use crate::format::{escape, slug, svg_number};
use ab_glyph::{Font, GlyphId, PxScale};
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea, SVGBackend};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

/// What a chart is: a drawing at a given size, with words for people who cannot see it.
pub trait Drawing {
    /// Draws the chart on `area`, whose pixels are `k` times the chart's design units.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, k: f64) -> Result<(), String>;
}

/// A line of text drawn by the SVG side, kept until the plotters drawing is complete.
struct TextRun {
    origin: BackendCoord,
    rotation: i32,
    color: BackendColor,
    size: f32,
    glyphs: Vec<(GlyphId, f32, f32)>,
}

/// Where [`TextBackend`] sends text.
enum TextSink {
    /// Rasterise into the wrapped (bitmap) backend.
    Pixels,
    /// Keep as glyph runs for the SVG.
    Runs(Rc<RefCell<Vec<TextRun>>>),
}

/// A plotters backend that draws text from the embedded font and everything else through
/// the backend it wraps.
pub struct TextBackend<B> {
    inner: B,
    sink: TextSink,
}

fn rotation(t: FontTransform) -> i32 {
    match t {
        FontTransform::None => 0,
        FontTransform::Rotate90 => 90,
        FontTransform::Rotate180 => 180,
        FontTransform::Rotate270 => 270,
    }
}

impl<B: DrawingBackend> TextBackend<B> {
    /// Glyphs of `text` placed relative to the anchor: x and baseline y before rotation.
    fn place<S: BackendTextStyle>(text: &str, style: &S) -> Result<(Vec<Placed>, f32, f32), DrawingErrorKind<B::ErrorType>> {
        let ((x0, y0), (x1, y1)) = style.layout_box(text).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = ((x1 - x0) as f32, (y1 - y0) as f32);
        let size = style.size() as f32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let top = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        // Capital letters centred in plotters' layout box, so that labels sit where plotters
        // expects them.
        let baseline = top + (height + font::cap_height(size)) / 2.0;
        Ok((font::layout(text, size), dx, baseline))
    }
}

impl<B: DrawingBackend> DrawingBackend for TextBackend<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let (glyphs, dx, baseline) = Self::place(text, style)?;
        let size = style.size() as f32;
        match &self.sink {
            TextSink::Runs(runs) => {
                runs.borrow_mut().push(TextRun {
                    origin: pos,
                    rotation: rotation(style.transform()),
                    color,
                    size,
                    glyphs: glyphs.iter().map(|g| (g.id, dx + g.x, baseline)).collect(),
                });
                Ok(())
            }
            TextSink::Pixels => {
                let trans = style.transform();
                let f = font::font();
                for g in glyphs {
                    let glyph = g.id.with_scale_and_position(PxScale::from(size), ab_glyph::point(dx + g.x, baseline));
                    let Some(outlined) = f.outline_glyph(glyph) else { continue };
                    let bounds = outlined.px_bounds();
                    let mut pixels = Vec::new();
                    outlined.draw(|x, y, coverage| pixels.push((x, y, coverage)));
                    for (x, y, coverage) in pixels {
                        if coverage <= 0.0 {
                            continue;
                        }
                        let (tx, ty) = trans.transform(bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32);
                        self.inner.draw_pixel((pos.0 + tx, pos.1 + ty), color.mix(coverage.min(1.0) as f64))?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// A chart's words: its file name stem, title and longer description (the text alternative).
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// File name stem (`overview`, `trend-M02`); also prefixes the SVG's ids.
    pub name: String,
    /// Short title.
    pub title: String,
    /// What the chart shows, in full sentences, for screen readers and for anyone who cannot
    /// see it.
    pub description: String,
}

/// A chart drawn as SVG: the plotters body and the text, ready to be wrapped for a file or
/// for inlining in HTML.
pub struct SvgParts {
    size: (u32, u32),
    defs: String,
    body: String,
    words: Words,
}

/// Draws `drawing` as SVG at `size` design units.
pub fn svg(drawing: &impl Drawing, size: (u32, u32), words: Words) -> Result<SvgParts, String> {
    font::font();
    let runs = Rc::new(RefCell::new(Vec::new()));
    let mut raw = String::new();
    {
        let backend = TextBackend { inner: SVGBackend::with_string(&mut raw, size), sink: TextSink::Runs(runs.clone()) };
        let area = backend.into_drawing_area();
        drawing.draw(&area, 1.0)?;
        area.present().map_err(|e| e.to_string())?;
    }
    // plotters writes `<svg ...>` on the first line and `</svg>` last: keep what is between.
    let start = raw.find('>').map(|i| i + 1).unwrap_or(0);
    let end = raw.rfind("</svg>").unwrap_or(raw.len());
    let mut body = raw[start..end].trim().to_string();
    let prefix = format!("{}-", slug(&words.name));
    let mut used = BTreeSet::new();
    for run in runs.borrow().iter() {
        body.push('\n');
        body.push_str(&text_run(run, &prefix, &mut used));
    }
    let mut defs = String::new();
    for id in used {
        defs.push_str(&format!("<path id=\"{prefix}g{}\" d=\"{}\"/>\n", id, font::glyph_path(GlyphId(id))));
    }
    Ok(SvgParts { size, defs, body, words })
}

fn color_attr(c: BackendColor) -> String {
    let mut s = format!("fill=\"#{:02x}{:02x}{:02x}\"", c.rgb.0, c.rgb.1, c.rgb.2);
    if c.alpha < 1.0 {
        s.push_str(&format!(" fill-opacity=\"{}\"", svg_number(c.alpha, 3)));
    }
    s
}

fn text_run(run: &TextRun, prefix: &str, used: &mut BTreeSet<u16>) -> String {
    let scale = svg_number(font::units_to_px(run.size) as f64, 5);
    let mut transform = format!("translate({} {})", run.origin.0, run.origin.1);
    if run.rotation != 0 {
        transform.push_str(&format!(" rotate({})", run.rotation));
    }
    let mut s = format!("<g {} transform=\"{transform}\">", color_attr(run.color));
    for (id, x, y) in &run.glyphs {
        // Spaces and other empty glyphs have no outline: nothing to place.
        if font::font().outline(*id).is_none() {
            continue;
        }
        used.insert(id.0);
        s.push_str(&format!(
            "<use xlink:href=\"#{prefix}g{}\" transform=\"translate({} {}) scale({scale} -{scale})\"/>",
            id.0,
            svg_number(*x as f64, 2),
            svg_number(*y as f64, 2)
        ));
    }
    s.push_str("</g>");
    s
}

impl SvgParts {
    /// A standalone `.svg` file, 160 mm wide (fits an A4 page and a slide).
    pub fn file(&self) -> String {
        let (w, h) = self.size;
        let height_mm = 160.0 * h as f64 / w as f64;
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
            self.wrap(&format!("width=\"160mm\" height=\"{}mm\"", svg_number(height_mm, 1)))
        )
    }

    /// An `<svg>` element for inlining in HTML; it scales to its container.
    pub fn inline(&self) -> String {
        self.wrap("class=\"chart\" preserveAspectRatio=\"xMidYMid meet\"")
    }

    fn wrap(&self, sizing: &str) -> String {
        let (w, h) = self.size;
        let id = slug(&self.words.name);
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" {sizing} viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n<defs>\n{}</defs>\n{}\n</svg>",
            escape(&self.words.title),
            escape(&self.words.description),
            self.defs,
            self.body
        )
    }
}

/// Draws `drawing` as a PNG of `size` pixels (drawn at twice the size and halved).
pub fn png(drawing: &impl Drawing, size: (u32, u32)) -> Result<Vec<u8>, String> {
    font::font();
    let (w, h) = (size.0 as usize, size.1 as usize);
    let mut big = vec![255u8; w * h * 12];
    {
        let backend = TextBackend { inner: BitMapBackend::with_buffer(&mut big, (size.0 * 2, size.1 * 2)), sink: TextSink::Pixels };
        let area = backend.into_drawing_area();
        drawing.draw(&area, 2.0)?;
        area.present().map_err(|e| e.to_string())?;
    }
    let mut small = vec![0u8; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            for c in 0..3 {
                let at = |dx: usize, dy: usize| big[((2 * y + dy) * 2 * w + 2 * x + dx) * 3 + c] as u32;
                small[(y * w + x) * 3 + c] = ((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8;
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, size.0, size.1);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // 192 dpi = 7559 pixels per metre.
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: 7559, yppu: 7559, unit: png::Unit::Meter }));
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&small).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
