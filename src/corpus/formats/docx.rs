//! Word `.docx`: the paragraphs of the document body (`word/document.xml`),
//! one per line, read with `zip` and `quick-xml`.
//!
//! `w:p` is a line, `w:t` its text, `w:tab` a space, `w:br` (not a page
//! break) a line break; a table row is one line `| cell | cell |`, which
//! the segmenter keeps with its table. A text box's paragraphs come out
//! before the paragraph that anchors them, once (the `mc:Fallback` copy
//! Word writes for old readers is skipped). Automatic list numbers (`一、`
//! put in by Word's numbering, not typed) are not in the text and are not
//! reconstructed.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;
use zip::ZipArchive;

use super::{Extracted, Format, CONVERT};

/// No report's document.xml comes near this; a ZIP bomb would.
const MAX_XML_BYTES: u64 = 256 << 20;

fn read_entry(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    let entry = match zip.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("cannot read {name} in this .docx ({e})")),
    };
    let mut bytes = Vec::new();
    entry
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {name} in this .docx ({e}): the file may be damaged"))?;
    if bytes.len() as u64 > MAX_XML_BYTES {
        return Err(format!("{name} in this .docx is larger than 256 MB"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// What a ZIP archive that is not a Word document is, to say so.
fn other_archive(zip: &ZipArchive<Cursor<&[u8]>>) -> String {
    let has = |prefix: &str| {
        zip.file_names()
            .any(|n| n.is_ok_and(|n| n.starts_with(prefix)))
    };
    if has("xl/") {
        "an Excel workbook (.xlsx), not a report".into()
    } else if has("ppt/") {
        "a PowerPoint file (.pptx), not a report: export it to PDF and read that".into()
    } else if has("content.xml") {
        "an OpenDocument file (.odt): save it as .docx (or export it to PDF), and read that".into()
    } else {
        "a ZIP archive, not a Word .docx: unpack it and read the reports inside".into()
    }
}

/// Read a `.docx`.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!("cannot open this ZIP/.docx file ({e}): it may be damaged or cut short; {CONVERT}")
    })?;
    let Some(xml) = read_entry(&mut zip, "word/document.xml")? else {
        return Err(other_archive(&zip));
    };
    let lines = body_lines(&xml).map_err(|e| {
        format!("cannot read word/document.xml in this .docx ({e}): the file may be damaged")
    })?;
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(
            "this .docx has no text in its body (only images? then run OCR on them)".into(),
        );
    }
    let title = read_entry(&mut zip, "docProps/core.xml")
        .ok()
        .flatten()
        .and_then(|core| core_title(&core));
    let mut x = Extracted::new(lines.join("\n"), Format::Docx);
    x.title = title;
    Ok(x)
}

/// `dc:title` of `docProps/core.xml`.
fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => title.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_title => push_ref(&mut title, &r),
            Event::Eof => break,
            _ => {}
        }
    }
    let t = title.trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// Paragraphs and table rows of a document body, one per line.
fn body_lines(xml: &str) -> Result<Vec<String>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<String> = Vec::new();
    // Paragraphs being read, innermost last (a text box nests one in another).
    let mut paragraphs: Vec<String> = Vec::new();
    // Table rows being read, innermost last: cells of each.
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_text = false;
    // Depth inside an mc:Fallback copy, which repeats the mc:Choice content.
    let mut fallback = 0usize;
    // Where a finished paragraph goes: the open table cell, else the output.
    fn emit(out: &mut Vec<String>, rows: &mut [Vec<String>], line: String) {
        match rows.last_mut().and_then(|cells| cells.last_mut()) {
            Some(cell) => {
                let line = line.trim();
                if !line.is_empty() {
                    if !cell.is_empty() {
                        cell.push(' ');
                    }
                    cell.push_str(line);
                }
            }
            None => out.push(line),
        }
    }
    loop {
        let event = reader.read_event()?;
        if fallback > 0 {
            match event {
                Event::Start(_) => fallback += 1,
                Event::End(_) => fallback -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "p" => paragraphs.push(String::new()),
                "t" => in_text = true,
                "tr" => rows.push(Vec::new()),
                "tc" => {
                    if let Some(cells) = rows.last_mut() {
                        cells.push(String::new());
                    }
                }
                "Fallback" => fallback = 1,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" | "ptab" => {
                    if let Some(p) = paragraphs.last_mut() {
                        p.push(' ');
                    }
                }
                "br" | "cr" => {
                    let page_break = e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == "type" && a.value.as_ref() != "textWrapping"
                    });
                    if !page_break {
                        if let Some(p) = paragraphs.last_mut() {
                            p.push('\n');
                        }
                    }
                }
                "p" => emit(&mut out, &mut rows, String::new()),
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if in_text => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(p) = paragraphs.last_mut() {
                    push_ref(p, &r);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if let Some(p) = paragraphs.pop() {
                        for line in p.split('\n') {
                            emit(&mut out, &mut rows, line.to_string());
                        }
                    }
                }
                "tr" => {
                    if let Some(cells) = rows.pop() {
                        let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
                        let line = if cells.iter().any(|c| !c.is_empty()) {
                            format!("| {} |", cells.join(" | "))
                        } else {
                            String::new()
                        };
                        emit(&mut out, &mut rows, line);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    fn doc(body: &str) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks_and_tables() {
        let xml = doc(
            "<w:p><w:r><w:t>各位</w:t></w:r><w:r><w:t xml:space=\"preserve\">代表:</w:t></w:r></w:p>\
             <w:p><w:r><w:t>一、</w:t><w:tab/><w:t>回顾</w:t><w:br/><w:t>第二行 &amp; 更多</w:t></w:r></w:p>\
             <w:p><w:r><w:br w:type=\"page\"/></w:r></w:p><w:p/>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>增长</w:t></w:r></w:p><w:p><w:r><w:t>%</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent><w:t>正文。</w:t></w:r></w:p>",
        );
        let lines = body_lines(&xml).unwrap();
        assert_eq!(
            lines,
            [
                "各位代表:",
                "一、 回顾",
                "第二行 & 更多",
                "",
                "",
                "| 指标 | 增长 % |",
                "框内",
                "正文。"
            ]
        );
    }

    #[test]
    fn core_title_is_read() {
        let core = "<?xml version=\"1.0\"?><cp:coreProperties xmlns:cp=\"x\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>2022年某市政府工作报告</dc:title></cp:coreProperties>";
        assert_eq!(core_title(core).as_deref(), Some("2022年某市政府工作报告"));
    }

    #[test]
    fn damaged_and_other_archives_are_errors() {
        let e = extract(b"PK\x03\x04garbage").unwrap_err();
        assert!(e.contains("damaged"), "{e}");
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, b"<workbook/>").unwrap();
            w.finish().unwrap();
        }
        let e = extract(buf.get_ref()).unwrap_err();
        assert!(e.contains(".xlsx"), "{e}");
    }
}
