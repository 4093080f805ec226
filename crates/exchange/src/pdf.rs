//! A small page layout over `pdf-writer`: A4 pages, Helvetica (one of the
//! PDF standard fonts every reader has, so no font file is embedded), text in
//! WinAnsi encoding, headings, wrapped paragraphs, tables that continue on
//! the next page, and filled shapes for charts.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 48.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
    pub const GREY: Rgb = Rgb(0.45, 0.45, 0.45);
    pub const LIGHT: Rgb = Rgb(0.92, 0.93, 0.95);
    pub const HEADER: Rgb = Rgb(0.85, 0.88, 0.95);
    pub const GREEN: Rgb = Rgb(0.78, 0.94, 0.81);
    pub const YELLOW: Rgb = Rgb(1.0, 0.92, 0.61);
    pub const RED: Rgb = Rgb(1.0, 0.78, 0.81);
    pub const INK: Rgb = Rgb(0.12, 0.25, 0.55);
}

/// Helvetica's advance widths (1/1000 em) for ASCII 32–126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Helvetica-Bold's advance widths for ASCII 32–126.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/// Text as WinAnsi bytes: Latin-1 passes, a few typographic marks are
/// mapped, anything else becomes `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201C}' => 0x93,
            '\u{201D}' => 0x94,
            '\u{2026}' => 0x85,
            '\u{2022}' => 0x95,
            c if (' '..='~').contains(&c) || ('\u{A0}'..='\u{FF}').contains(&c) => c as u8,
            _ => b'?',
        })
        .collect()
}

/// The width of `text` in points.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let units: u32 = text
        .chars()
        .map(|c| {
            let code = c as u32;
            if (32..=126).contains(&code) {
                u32::from(table[(code - 32) as usize])
            } else {
                556
            }
        })
        .sum();
    units as f32 * size / 1000.0
}

/// `text` cut to fit `width`, with an ellipsis when cut.
pub fn fit(text: &str, width: f32, size: f32, bold: bool) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, size, bold) + text_width("\u{2026}", size, bold) > width {
            out.pop();
            break;
        }
    }
    out.push('\u{2026}');
    out
}

/// Lines of at most `width` points, broken at spaces.
pub fn wrap(text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: header, width in points, alignment.
#[derive(Debug, Clone, Copy)]
pub struct TableColumn {
    pub header: &'static str,
    pub width: f32,
    pub align: Align,
}

/// One table cell: text and an optional background.
#[derive(Debug, Clone)]
pub struct TableCell {
    pub text: String,
    pub fill: Option<Rgb>,
}

impl From<String> for TableCell {
    fn from(text: String) -> Self {
        TableCell { text, fill: None }
    }
}

impl From<&str> for TableCell {
    fn from(text: &str) -> Self {
        TableCell {
            text: text.to_owned(),
            fill: None,
        }
    }
}

/// A document being laid out, top to bottom.
pub struct Document {
    title: String,
    footer: String,
    pages: Vec<Content>,
    current: Content,
    /// The baseline cursor, from the bottom of the page.
    pub y: f32,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("title", &self.title)
            .field("pages", &(self.pages.len() + 1))
            .finish_non_exhaustive()
    }
}

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

impl Document {
    pub fn new(title: &str, footer: &str) -> Self {
        Document {
            title: title.to_owned(),
            footer: footer.to_owned(),
            pages: Vec::new(),
            current: Content::new(),
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    /// Starts a new page unless `needed` points still fit on this one.
    pub fn ensure(&mut self, needed: f32) {
        if self.y - needed < MARGIN + 18.0 {
            self.new_page();
        }
    }

    pub fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.current, Content::new());
        self.pages.push(done);
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Text at a point (the baseline's left end).
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, bold: bool, colour: Rgb, text: &str) {
        let c = &mut self.current;
        c.set_fill_rgb(colour.0, colour.1, colour.2);
        c.begin_text();
        c.set_font(if bold { BOLD } else { REGULAR }, size);
        c.next_line(x, y);
        c.show(Str(&win_ansi(text)));
        c.end_text();
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Rgb) {
        let c = &mut self.current;
        c.set_fill_rgb(colour.0, colour.1, colour.2);
        c.rect(x, y, width, height);
        c.fill_nonzero();
    }

    pub fn stroke_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Rgb) {
        let c = &mut self.current;
        c.set_stroke_rgb(colour.0, colour.1, colour.2);
        c.set_line_width(0.5);
        c.rect(x, y, width, height);
        c.stroke();
    }

    /// A polyline through `points`, and a dot on each.
    pub fn polyline(&mut self, points: &[(f32, f32)], colour: Rgb, width: f32) {
        let Some((first, rest)) = points.split_first() else {
            return;
        };
        let c = &mut self.current;
        c.set_stroke_rgb(colour.0, colour.1, colour.2);
        c.set_line_width(width);
        c.move_to(first.0, first.1);
        for p in rest {
            c.line_to(p.0, p.1);
        }
        c.stroke();
        c.set_fill_rgb(colour.0, colour.1, colour.2);
        for p in points {
            c.rect(p.0 - 2.0, p.1 - 2.0, 4.0, 4.0);
        }
        c.fill_nonzero();
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), colour: Rgb, width: f32) {
        let c = &mut self.current;
        c.set_stroke_rgb(colour.0, colour.1, colour.2);
        c.set_line_width(width);
        c.move_to(from.0, from.1);
        c.line_to(to.0, to.1);
        c.stroke();
    }

    pub fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y -= 18.0;
        self.text_at(MARGIN, self.y, 13.0, true, Rgb::INK, text);
        self.y -= 4.0;
        self.line(
            (MARGIN, self.y),
            (PAGE_WIDTH - MARGIN, self.y),
            Rgb::INK,
            0.6,
        );
        self.y -= 8.0;
    }

    pub fn paragraph(&mut self, text: &str, size: f32, bold: bool) {
        for line in wrap(text, CONTENT_WIDTH, size, bold) {
            self.ensure(size * 1.4);
            self.y -= size * 1.35;
            self.text_at(MARGIN, self.y, size, bold, Rgb::BLACK, &line);
        }
        self.y -= size * 0.4;
    }

    /// A label and its value on one line.
    pub fn field(&mut self, label: &str, value: &str) {
        let size = 9.5;
        let lines = wrap(value, CONTENT_WIDTH - 150.0, size, false);
        self.ensure(size * 1.4 * lines.len().max(1) as f32);
        self.y -= size * 1.4;
        self.text_at(MARGIN, self.y, size, true, Rgb::BLACK, label);
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.y -= size * 1.3;
            }
            self.text_at(MARGIN + 150.0, self.y, size, false, Rgb::BLACK, line);
        }
    }

    fn table_header(&mut self, columns: &[TableColumn], size: f32, row_height: f32) {
        let mut x = MARGIN;
        let total: f32 = columns.iter().map(|c| c.width).sum();
        self.fill_rect(MARGIN, self.y - row_height, total, row_height, Rgb::HEADER);
        for column in columns {
            let text = fit(column.header, column.width - 6.0, size, true);
            let tx = match column.align {
                Align::Left => x + 3.0,
                Align::Right => x + column.width - 3.0 - text_width(&text, size, true),
            };
            self.text_at(tx, self.y - row_height + 4.5, size, true, Rgb::BLACK, &text);
            x += column.width;
        }
        self.y -= row_height;
    }

    /// A table; the header is repeated on each page it runs onto.
    pub fn table(&mut self, columns: &[TableColumn], rows: &[Vec<TableCell>]) {
        let size = 8.5;
        let row_height = 14.0;
        self.ensure(row_height * 3.0);
        self.y -= 4.0;
        self.table_header(columns, size, row_height);
        for (n, row) in rows.iter().enumerate() {
            if self.y - row_height < MARGIN + 18.0 {
                self.new_page();
                self.table_header(columns, size, row_height);
            }
            let mut x = MARGIN;
            if n % 2 == 1 {
                let total: f32 = columns.iter().map(|c| c.width).sum();
                self.fill_rect(MARGIN, self.y - row_height, total, row_height, Rgb::LIGHT);
            }
            for (column, cell) in columns.iter().zip(row) {
                if let Some(fill) = cell.fill {
                    self.fill_rect(x, self.y - row_height, column.width, row_height, fill);
                }
                let text = fit(&cell.text, column.width - 6.0, size, false);
                let tx = match column.align {
                    Align::Left => x + 3.0,
                    Align::Right => x + column.width - 3.0 - text_width(&text, size, false),
                };
                self.text_at(
                    tx,
                    self.y - row_height + 4.5,
                    size,
                    false,
                    Rgb::BLACK,
                    &text,
                );
                x += column.width;
            }
            self.y -= row_height;
        }
        self.y -= 6.0;
    }

    /// The finished PDF.
    pub fn finish(mut self) -> Vec<u8> {
        let last = std::mem::replace(&mut self.current, Content::new());
        self.pages.push(last);
        let count = self.pages.len();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let mut next = 6;
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        let mut page_ids = Vec::with_capacity(count);
        let mut streams = Vec::with_capacity(count);
        for _ in 0..count {
            page_ids.push(Ref::new(next));
            streams.push(Ref::new(next + 1));
            next += 2;
        }
        pdf.pages(tree)
            .kids(page_ids.iter().copied())
            .count(count as i32);
        for (i, mut content) in self.pages.into_iter().enumerate() {
            let footer = format!("{} \u{2014} halaman {} dari {count}", self.footer, i + 1);
            content.set_fill_rgb(Rgb::GREY.0, Rgb::GREY.1, Rgb::GREY.2);
            content.begin_text();
            content.set_font(REGULAR, 7.5);
            content.next_line(MARGIN, MARGIN - 20.0);
            content.show(Str(&win_ansi(&footer)));
            content.end_text();
            let mut page = pdf.page(page_ids[i]);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
            page.parent(tree);
            page.contents(streams[i]);
            page.resources()
                .fonts()
                .pair(REGULAR, regular)
                .pair(BOLD, bold);
            page.finish();
            pdf.stream(streams[i], &content.finish());
        }
        pdf.type1_font(regular)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr("Pendamping"));
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_wrapped_and_fitted() {
        assert!((text_width("ab", 10.0, false) - 11.12).abs() < 0.01);
        let lines = wrap("satu dua tiga empat lima enam", 40.0, 10.0, false);
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| text_width(l, 10.0, false) <= 40.0 || !l.contains(' '))
        );
        let cut = fit("Dinas Kependudukan dan Pencatatan Sipil", 60.0, 9.0, false);
        assert!(cut.ends_with('\u{2026}'));
        assert!(text_width(&cut, 9.0, false) <= 60.0);
        assert_eq!(win_ansi("é–x\u{4E2D}"), vec![0xE9, 0x96, b'x', b'?']);
    }
}
