//! Certificates as PDF: an A4 page (more for a long transcript) set in one Japanese TrueType
//! font, which krilla subsets into the file, so a certificate carries only the characters it
//! prints. Every character is looked up in the font before anything is drawn: a name the font
//! cannot print stops the issue with the character named, instead of a blank box on a
//! certificate.
//!
//! Layout is two passes: the text is measured and broken into lines and pages first, then the
//! pages are drawn, so each page knows how many there are ("1/3").

use backend::certificates::{CertificateDocument, CertificateRenderer, RenderError, Seal};
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size as Extent, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use std::path::Path;
use std::sync::Arc;

/// A4 in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 62.0;
/// Where the body stops and the footer begins.
const BODY_BOTTOM: f32 = HEIGHT - 100.0;

/// Writes certificates in one font, read once at start.
pub struct PdfRenderer {
    data: Arc<Vec<u8>>,
    font: Font,
}

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("the certificate font {path} cannot be read: {why}")]
    Unreadable { path: String, why: String },
    #[error("{path} is not a TrueType or OpenType font")]
    NotAFont { path: String },
}

impl PdfRenderer {
    pub fn from_file(path: &Path) -> Result<Self, FontError> {
        let data = std::fs::read(path).map_err(|err| FontError::Unreadable {
            path: path.display().to_string(),
            why: err.to_string(),
        })?;
        Self::from_bytes(data).ok_or_else(|| FontError::NotAFont {
            path: path.display().to_string(),
        })
    }

    pub fn from_bytes(data: Vec<u8>) -> Option<Self> {
        FontRef::new(&data).ok()?;
        let data = Arc::new(data);
        let font = Font::new(krilla::Data::from(data.clone()), 0)?;
        Some(Self { data, font })
    }
}

impl CertificateRenderer for PdfRenderer {
    fn render(&self, document: &CertificateDocument) -> Result<Vec<u8>, RenderError> {
        let font = FontRef::new(&self.data).map_err(|err| RenderError::Failed(err.to_string()))?;
        let measure = Measure::new(&font);
        every_character_printable(&measure, document)?;
        let mut pages = lay_out(&measure, document);
        decorate(&measure, document, &mut pages);
        draw(&self.font, document, &pages)
    }
}

/// Widths of text in this font.
struct Measure<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
    units_per_em: f32,
}

impl<'a> Measure<'a> {
    fn new(font: &FontRef<'a>) -> Self {
        Self {
            charmap: font.charmap(),
            metrics: font.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: f32::from(font.head().map(|h| h.units_per_em()).unwrap_or(1000)),
        }
    }

    fn printable(&self, c: char) -> bool {
        c.is_whitespace() || self.charmap.map(c).is_some()
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .filter_map(|c| self.charmap.map(c))
            .filter_map(|glyph| self.metrics.advance_width(glyph))
            .sum();
        units / self.units_per_em * size
    }

    /// `text` broken into lines no wider than `width`: between words in Latin text, between
    /// any two characters in Japanese.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for token in tokens(text) {
            let candidate = format!("{line}{token}");
            if !line.is_empty() && self.width(candidate.trim_end(), size) > width {
                lines.push(line.trim_end().to_owned());
                line = token.trim_start().to_owned();
            } else {
                line = candidate;
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_owned());
        }
        lines
    }
}

/// Latin words (with the space before them) stay whole; every other character stands alone.
fn tokens(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let latin = c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '(' | ')' | '-' | '\'');
        if latin {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if c == ' ' {
            word.push(c);
        } else {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

fn every_character_printable(
    measure: &Measure<'_>,
    document: &CertificateDocument,
) -> Result<(), RenderError> {
    let mut texts: Vec<&str> = vec![
        &document.university,
        &document.title,
        &document.number,
        &document.application_number,
        &document.issued_on,
        &document.statement,
        &document.footer,
        &document.number_label,
        &document.issued_on_label,
        &document.application_label,
        &document.page_pattern,
    ];
    for (label, value) in &document.facts {
        texts.push(label);
        texts.push(value);
    }
    if let Some(courses) = &document.courses {
        texts.extend(courses.headings.iter().map(String::as_str));
        texts.extend(courses.rows.iter().flatten().map(String::as_str));
        for (label, value) in &courses.totals {
            texts.push(label);
            texts.push(value);
        }
        texts.push(&courses.empty);
    }
    if let Some(verification) = &document.verification {
        texts.extend([
            verification.lead.as_str(),
            &verification.page,
            &verification.code,
            &verification.code_label,
        ]);
    }
    if let Some(Seal::Text(seal)) = &document.seal {
        texts.push(seal);
    }
    match texts.iter().flat_map(|text| text.chars()).find(|c| !measure.printable(*c)) {
        Some(c) => Err(RenderError::Unprintable(c)),
        None => Ok(()),
    }
}

/// What is drawn: text at a baseline, or a rule.
#[derive(Clone)]
enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// The seal set in type: a red square of `side` points from `(x, y)` (its top left
    /// corner), and its characters at their baselines.
    SealInType {
        x: f32,
        y: f32,
        side: f32,
        size: f32,
        characters: Vec<(f32, f32, char)>,
    },
    /// The university's seal image, fitted into the square of `side` points from `(x, y)`.
    SealImage { x: f32, y: f32, side: f32 },
    /// A QR code's dark modules, each a filled square of `module` points, from `(x, y)` (its
    /// top left corner).
    Qr {
        x: f32,
        y: f32,
        module: f32,
        dark: Vec<(usize, usize)>,
    },
}

/// The QR code's side in the footer: about 22 mm, read by a phone from a printed page.
const QR_SIDE: f32 = 62.0;
/// The seal's side: about 21 mm, a university's 角印 as stamped.
const SEAL_SIDE: f32 = 60.0;
/// Seal ink (朱肉).
const SEAL_RED: (u8, u8, u8) = (204, 34, 41);

struct Pages {
    pages: Vec<Vec<Mark>>,
    y: f32,
    /// What heads each page after the first: the title and whose it is.
    continued: String,
}

impl Pages {
    fn new(continued: String) -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN + 40.0,
            continued,
        }
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn text(&mut self, x: f32, size: f32, text: &str) {
        let y = self.y;
        self.mark(Mark::Text {
            x,
            y,
            size,
            text: text.to_owned(),
        });
    }

    /// Room for `height` more on this page, or a new page.
    fn room(&mut self, height: f32) -> bool {
        if self.y + height <= BODY_BOTTOM {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = MARGIN + 40.0;
        let continued = self.continued.clone();
        self.text(MARGIN, 10.0, &continued);
        self.y += 24.0;
        true
    }
}

/// Columns of a transcript: 年度, 学期, 科目名, 単位, 評価, 区分 (x from the left margin).
const COLUMNS: [f32; 6] = [0.0, 48.0, 110.0, 330.0, 372.0, 410.0];
const TABLE_WIDTH: f32 = WIDTH - 2.0 * MARGIN;

fn lay_out(measure: &Measure<'_>, document: &CertificateDocument) -> Pages {
    let whose = document.facts.first().map(|(_, name)| name.as_str()).unwrap_or_default();
    let mut pages = Pages::new(format!("{}  {whose}", document.title));
    let body = 11.5;
    // The title, centred.
    let title_size = 22.0;
    let title_width = measure.width(&document.title, title_size);
    pages.y = MARGIN + 70.0;
    pages.text((WIDTH - title_width) / 2.0, title_size, &document.title);
    pages.y += 50.0;

    // The registry's facts, label and value.
    let label_x = MARGIN + 30.0;
    let value_x = MARGIN + 170.0;
    for (label, value) in &document.facts {
        let lines = measure.wrap(value, body, WIDTH - MARGIN - value_x);
        pages.text(label_x, body, label);
        for line in lines {
            pages.text(value_x, body, &line);
            pages.y += body * 1.8;
        }
    }
    pages.y += 12.0;

    if let Some(courses) = &document.courses {
        lay_out_courses(measure, &mut pages, courses);
    }

    // The statement, then the date and the university, right-aligned.
    let statement = measure.wrap(&document.statement, body, TABLE_WIDTH - 30.0);
    // What follows the statement: the date, the name, and the seal reaching below it, clear
    // of the footer's QR code by its quiet zone (4 modules, about 7 pt).
    let closing = if document.seal.is_some() { 110.0 } else { 80.0 };
    pages.room(body * 1.8 * statement.len() as f32 + closing);
    pages.y += 10.0;
    for line in statement {
        pages.text(MARGIN + 15.0, body, &line);
        pages.y += body * 1.8;
    }
    pages.y += 30.0;
    let right = |text: &str, size: f32| WIDTH - MARGIN - measure.width(text, size);
    pages.text(right(&document.issued_on, body), body, &document.issued_on);
    pages.y += 30.0;
    let name_size = 15.0;
    // With a seal, the name ends where the seal begins, as a seal is stamped beside it.
    let beside_seal = if document.seal.is_some() {
        SEAL_SIDE + 8.0
    } else {
        0.0
    };
    pages.text(
        right(&document.university, name_size) - beside_seal,
        name_size,
        &document.university,
    );
    if let Some(seal) = &document.seal {
        // From just below the date down past the name's line: it needs no room above.
        let (x, y) = (WIDTH - MARGIN - SEAL_SIDE, pages.y - 26.0);
        pages.mark(match seal {
            Seal::Image(_) => Mark::SealImage {
                x,
                y,
                side: SEAL_SIDE,
            },
            Seal::Text(characters) => seal_in_type(measure, (x, y), characters),
        });
    }
    pages
}

/// A 角印 of `characters` with its top left corner at `(x, y)`: as nearly square a grid as
/// they fill, read in columns from the right, each column from the top.
fn seal_in_type(measure: &Measure<'_>, (x, y): (f32, f32), characters: &str) -> Mark {
    let characters: Vec<char> = characters.chars().collect();
    let count = characters.len().max(1);
    let columns = (count as f32).sqrt().ceil() as usize;
    let rows = count.div_ceil(columns);
    let padding = 5.0;
    let inner = SEAL_SIDE - 2.0 * padding;
    let (cell_width, cell_height) = (inner / columns as f32, inner / rows as f32);
    let size = cell_width.min(cell_height) * 0.92;
    let placed = characters
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let (column, row) = (index / rows, index % rows);
            let left = x + padding + (columns - 1 - column) as f32 * cell_width;
            let width = measure.width(&c.to_string(), size);
            let top = y + padding + row as f32 * cell_height;
            // A CJK glyph's body sits about 0.88 em above its baseline.
            let baseline = top + (cell_height - size) / 2.0 + size * 0.88;
            (left + (cell_width - width) / 2.0, baseline, *c)
        })
        .collect();
    Mark::SealInType {
        x,
        y,
        side: SEAL_SIDE,
        size,
        characters: placed,
    }
}

fn lay_out_courses(
    measure: &Measure<'_>,
    pages: &mut Pages,
    courses: &backend::certificates::CourseTable,
) {
    let size = 9.0;
    let row_height = size * 1.7;
    let headings = |pages: &mut Pages| {
        for (x, heading) in COLUMNS.iter().zip(&courses.headings) {
            pages.text(MARGIN + x, size, heading);
        }
        let y = pages.y + 4.0;
        pages.mark(Mark::Rule {
            from: (MARGIN, y),
            to: (MARGIN + TABLE_WIDTH, y),
            width: 0.6,
        });
        pages.y += row_height + 2.0;
    };
    headings(pages);
    if courses.rows.is_empty() {
        pages.text(MARGIN, size, &courses.empty);
        pages.y += row_height;
    }
    for row in &courses.rows {
        // A long course name wraps within its column; the row grows with it.
        let course = measure.wrap(&row[2], size, COLUMNS[3] - COLUMNS[2] - 6.0);
        let category = measure.wrap(&row[5], size, TABLE_WIDTH - COLUMNS[5]);
        let lines = course.len().max(category.len());
        if pages.room(row_height * lines as f32) {
            headings(pages);
        }
        let top = pages.y;
        for (column, text) in [0, 1, 3, 4].into_iter().map(|i| (i, &row[i])) {
            pages.text(MARGIN + COLUMNS[column], size, text);
        }
        for (column, wrapped) in [(2, &course), (5, &category)] {
            pages.y = top;
            for line in wrapped {
                pages.text(MARGIN + COLUMNS[column], size, line);
                pages.y += row_height;
            }
        }
        pages.y = top + row_height * lines as f32;
    }
    let y = pages.y - row_height + 5.0;
    pages.mark(Mark::Rule {
        from: (MARGIN, y),
        to: (MARGIN + TABLE_WIDTH, y),
        width: 0.6,
    });
    pages.y += 6.0;
    pages.room(row_height * courses.totals.len() as f32);
    for (label, value) in &courses.totals {
        pages.text(MARGIN + COLUMNS[2], size + 1.0, label);
        pages.text(MARGIN + COLUMNS[3], size + 1.0, value);
        pages.y += row_height + 1.0;
    }
    pages.y += 10.0;
}

/// What every page carries: the certificate's number and date of issue at the top right; at
/// the foot, what this document is, its application and the page ("1/3").
fn decorate(measure: &Measure<'_>, document: &CertificateDocument, laid_out: &mut Pages) {
    let small = 8.5;
    let total = laid_out.pages.len();
    let right = |text: &str, size: f32| WIDTH - MARGIN - measure.width(text, size);
    // One QR code for every page: computing it is the costly part.
    let qr = document.verification.as_ref().and_then(|v| qr_mark(&v.url));
    for (index, marks) in laid_out.pages.iter_mut().enumerate() {
        let header = [
            format!("{}  {}", document.number_label, document.number),
            format!("{}  {}", document.issued_on_label, document.issued_on),
        ];
        let page_no = document
            .page_pattern
            .replace("{page}", &(index + 1).to_string())
            .replace("{pages}", &total.to_string());
        let application = format!(
            "{}  {}",
            document.application_label, document.application_number
        );
        let mut at = |x: f32, y: f32, size: f32, text: &str| {
            marks.push(Mark::Text {
                x,
                y,
                size,
                text: text.to_owned(),
            })
        };
        for (line, words) in header.iter().enumerate() {
            at(
                right(words, small),
                MARGIN + line as f32 * 13.0,
                small,
                words,
            );
        }
        let Some(verification) = &document.verification else {
            at(MARGIN, HEIGHT - 62.0, small - 1.0, &document.footer);
            at(MARGIN, HEIGHT - 48.0, small - 1.0, &application);
            at(right(&page_no, small), HEIGHT - 48.0, small, &page_no);
            continue;
        };
        // The QR code at the right; beside it what to do, the page's address and the code, then
        // the footer's own lines; the page number in the middle.
        let beside = WIDTH - 2.0 * MARGIN - QR_SIDE - 12.0;
        let lead = measure.wrap(&verification.lead, small - 1.5, beside);
        for (line, words) in lead.iter().take(2).enumerate() {
            at(
                MARGIN,
                HEIGHT - 92.0 + line as f32 * 9.0,
                small - 1.5,
                words,
            );
        }
        at(MARGIN, HEIGHT - 73.0, small - 1.5, &verification.page);
        let code = format!("{}  {}", verification.code_label, verification.code);
        at(MARGIN, HEIGHT - 62.0, small + 0.5, &code);
        at(MARGIN, HEIGHT - 50.0, small - 1.5, &document.footer);
        at(MARGIN, HEIGHT - 39.0, small - 1.5, &application);
        let centred = (WIDTH - measure.width(&page_no, small)) / 2.0;
        at(centred, HEIGHT - 39.0, small, &page_no);
        if let Some(qr) = &qr {
            marks.push(qr.clone());
        }
    }
}

/// The QR code of `url` in the footer's right corner; `None` for a URL too long for one.
fn qr_mark(url: &str) -> Option<Mark> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == qrcode::Color::Dark)
        .map(|(index, _)| (index % width, index / width))
        .collect();
    Some(Mark::Qr {
        x: WIDTH - MARGIN - QR_SIDE,
        y: HEIGHT - 98.0,
        module: QR_SIDE / width as f32,
        dark,
    })
}

/// The embedded record's file name and description.
pub const RECORD_FILE: &str = "certificate-record.json";
const RECORD_DESCRIPTION: &str =
    "The signed record of what this certificate prints (shomei-embedded-record/1)";

fn draw(
    font: &Font,
    document: &CertificateDocument,
    laid_out: &Pages,
) -> Result<Vec<u8>, RenderError> {
    // PDF/A-3b: krilla refuses to write what the profile forbids (fonts not embedded, device
    // colours, transparency, a missing date); PDF/A-3 rather than 2 for the embedded record.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|err| RenderError::Failed(format!("{err:?}")))?;
    let mut pdf = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let (year, month, day) = document.issued_ymd;
    let issued = DateTime::new(year).month(month).day(day).utc_offset_hour(9);
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{} {}", document.title, document.number))
            .language(document.lang.code().to_owned())
            .creator("shomei".to_owned())
            .creation_date(issued),
    );
    if let Some(record) = &document.record_file {
        pdf.embed_file(EmbeddedFile {
            path: RECORD_FILE.to_owned(),
            mime_type: MimeType::new("application/json"),
            description: Some(RECORD_DESCRIPTION.to_owned()),
            association_kind: AssociationKind::Data,
            data: record.clone().into(),
            modification_date: Some(issued),
            compress: None,
            location: None,
        })
        .ok_or_else(|| RenderError::Failed("the record file".to_owned()))?;
    }
    let seal_image = match &document.seal {
        Some(Seal::Image(png)) => Some(
            Image::from_png(krilla::Data::from(png.clone()), false)
                .map_err(|why| RenderError::Failed(format!("the seal image: {why}")))?,
        ),
        _ => None,
    };
    for marks in &laid_out.pages {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT)
            .ok_or_else(|| RenderError::Failed("page size".to_owned()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text { x, y, size, text } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Mark::Qr { x, y, module, dark } => {
                    let mut path = PathBuilder::new();
                    for (column, row) in dark {
                        let left = x + *column as f32 * module;
                        let top = y + *row as f32 * module;
                        if let Some(square) = Rect::from_xywh(left, top, *module, *module) {
                            path.push_rect(square);
                        }
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                        surface.draw_path(&path);
                    }
                }
                Mark::SealInType {
                    x,
                    y,
                    side,
                    size,
                    characters,
                } => {
                    let red = rgb::Color::new(SEAL_RED.0, SEAL_RED.1, SEAL_RED.2);
                    let mut frame = PathBuilder::new();
                    if let Some(square) = Rect::from_xywh(*x, *y, *side, *side) {
                        frame.push_rect(square);
                    }
                    if let Some(frame) = frame.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: red.into(),
                            width: 2.4,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&frame);
                    }
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: red.into(),
                        ..Fill::default()
                    }));
                    for (left, baseline, c) in characters {
                        surface.draw_text(
                            Point::from_xy(*left, *baseline),
                            font.clone(),
                            *size,
                            &c.to_string(),
                            false,
                            TextDirection::Auto,
                        );
                    }
                }
                Mark::SealImage { x, y, side } => {
                    if let Some(image) = &seal_image {
                        // Fitted into the square, its proportions kept, centred.
                        let (width, height) = image.size();
                        let scale = side / width.max(height).max(1) as f32;
                        let (w, h) = (width as f32 * scale, height as f32 * scale);
                        if let Some(extent) = Extent::from_wh(w, h) {
                            let at = Transform::from_translate(
                                x + (side - w) / 2.0,
                                y + (side - h) / 2.0,
                            );
                            surface.push_transform(&at);
                            surface.draw_image(image.clone(), extent);
                            surface.pop();
                        }
                    }
                }
                Mark::Rule { from, to, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(from.0, from.1);
                    path.line_to(to.0, to.1);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|err| RenderError::Failed(format!("{err:?}")))
}
