//! Seed reports rendered as the files users bring: a web page with site
//! furniture (UTF-8 or GBK), a PDF with a CJK text layer, a Word .docx.
//! Shared by `tests/formats.rs` and `benches/formats.rs`; only seed text
//! and generic furniture written here go in.
#![allow(dead_code)] // each user takes what it needs

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use unicode_width::UnicodeWidthChar;

/// Site furniture above the article: navigation, search, breadcrumb.
pub const NAV: [&str; 6] = [
    "首页",
    "政务公开",
    "新闻中心",
    "办事服务",
    "互动交流",
    "专题专栏",
];
pub const BREADCRUMB: &str = "当前位置:首页 > 政务公开 > 政府工作报告";
/// Furniture between the headline and the body, inside the article block.
pub const INFO: &str = "发布时间:2024-01-20 来源:政府办公室 浏览次数:1024";
pub const SHARE: &str = "分享到:微信 微博 QQ空间";
/// Furniture after the body.
pub const AFTER: [&str; 2] = ["【打印本页】 【关闭窗口】", "相关链接:政府信息公开指南"];
pub const FOOTER: [&str; 3] = [
    "版权所有:人民政府办公室 主办单位:人民政府办公室",
    "网站标识码:0000000000 备案号:0000000号",
    "联系我们 | 网站地图 | 返回顶部",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A portal page holding the report's lines, one block each: the first line
/// (when it is a title) as the headline, section headings as `<h3>`, the rest
/// as paragraphs; `charset` goes in a `<meta http-equiv>`.
pub fn html_page(title: &str, lines: &[&str], charset: &str, headline: bool) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">\n\
         <title>{}_人民政府门户网站</title>\n<link rel=\"stylesheet\" href=\"/css/style.css\">\n\
         <script type=\"text/javascript\">var _hmt = _hmt || []; function share(t) {{ return t; }}</script>\n\
         <style>.nav li {{ float: left; }}</style>\n</head>\n<body>\n",
        escape(title)
    );
    h.push_str("<div class=\"top-bar\"><a href=\"/\">无障碍</a> <a href=\"/login\">登录</a> <a href=\"/en\">English</a></div>\n");
    h.push_str("<div class=\"header\"><div class=\"logo\"><img src=\"/logo.png\" alt=\"人民政府门户网站\"></div>\n<ul class=\"nav\">");
    for n in NAV {
        let _ = write!(h, "<li><a href=\"/{n}/\">{n}</a></li>");
    }
    h.push_str("</ul>\n<form class=\"search\" action=\"/search\"><input type=\"text\" name=\"q\" placeholder=\"请输入关键词\"><button>搜索</button></form></div>\n");
    let _ = writeln!(
        h,
        "<div class=\"breadcrumb\">{}</div>",
        escape(BREADCRUMB).replace(" &gt; ", " &gt; <a href=\"#\">") + "</a>"
    );
    h.push_str("<div class=\"main\"><div class=\"article\">\n");
    let mut body = lines;
    if headline {
        if let Some((first, rest)) = lines.split_first() {
            let _ = writeln!(h, "<h1 class=\"article-title\">{}</h1>", escape(first));
            body = rest;
        }
    }
    let _ = writeln!(
        h,
        "<div class=\"article-info\"><span>{}</span></div>",
        escape(INFO)
    );
    let _ = writeln!(
        h,
        "<div class=\"share-bar\">分享到:<a href=\"#\" onclick=\"share('wx')\">微信</a> <a href=\"#\">微博</a> <a href=\"#\">QQ空间</a></div>"
    );
    h.push_str("<div class=\"article-content\" id=\"zoom\">\n");
    for l in body {
        let t = l.trim();
        let heading = t.chars().count() <= 30
            && (t.starts_with(['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'])
                && t.contains('、'));
        if heading {
            let _ = writeln!(h, "<h3>{}</h3>", escape(t));
        } else {
            let _ = writeln!(h, "<p style=\"text-indent: 2em;\">{}</p>", escape(t));
        }
    }
    h.push_str("</div>\n");
    let _ = writeln!(
        h,
        "<div class=\"article-tools\"><a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>"
    );
    h.push_str("</div>\n<div class=\"related\"><h4>相关链接:</h4><ul><li><a href=\"#\">政府信息公开指南</a></li></ul></div></div>\n");
    h.push_str("<div class=\"footer\">");
    for f in FOOTER {
        let _ = write!(h, "<p>{}</p>", escape(f));
    }
    h.push_str("</div>\n</body>\n</html>\n");
    h
}

/// A page in GBK: the same page declared `gb2312`, encoded GB18030.
pub fn html_page_gbk(title: &str, lines: &[&str], headline: bool) -> Vec<u8> {
    let page = html_page(title, lines, "gb2312", headline);
    encoding_rs::GB18030.encode(&page).0.into_owned()
}

/// Display columns of a string (a Chinese character is two).
fn columns(s: &str) -> usize {
    s.chars().map(|c| c.width_cjk().unwrap_or(0)).sum()
}

/// Paragraphs laid out as a PDF typesets them: each first line indented by
/// two characters, lines broken at `width` columns.
fn typeset(paragraphs: &[&str], width: usize) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for p in paragraphs {
        let mut current = String::new();
        let mut first = true;
        let mut used = 4; // the indentation of a first line
        for c in p.trim().chars() {
            let w = c.width_cjk().unwrap_or(0);
            if used + w > width && !current.is_empty() {
                out.push((first, std::mem::take(&mut current)));
                first = false;
                used = 0;
            }
            current.push(c);
            used += w;
        }
        if !current.is_empty() {
            out.push((first, current));
        }
    }
    out
}

/// A PDF of `paragraphs` in one composite font (Type0, Identity-H encoding,
/// a CIDFontType2 descendant that is not embedded, and a ToUnicode CMap),
/// wrapped at `width` columns over several pages, each page with a running
/// header line and a `- N -` footer; `Info` holds `title`.
pub fn pdf(title: &str, paragraphs: &[&str], width: usize, header: &str) -> Vec<u8> {
    let size = 12.0;
    let pitch = 21.0;
    let left = 72.0;
    let lines = typeset(paragraphs, width);
    let mut cids: BTreeMap<char, u16> = BTreeMap::new();
    let all: String =
        lines.iter().map(|(_, l)| l.as_str()).collect::<String>() + header + "- 0123456789";
    for c in all.chars() {
        let next = cids.len() as u16 + 1;
        cids.entry(c).or_insert(next);
    }
    let hex = |s: &str| -> String { s.chars().map(|c| format!("{:04X}", cids[&c])).collect() };
    let per_page = 30;
    let pages: Vec<&[(bool, String)]> = lines.chunks(per_page).collect();
    let mut contents = Vec::new();
    for (n, chunk) in pages.iter().enumerate() {
        let mut s = String::new();
        let hx = left + (width as f64 * size / 2.0 - columns(header) as f64 * 10.5 / 2.0) / 2.0;
        let _ = writeln!(
            s,
            "BT /F1 10.5 Tf 1 0 0 1 {hx:.2} 800 Tm <{}> Tj ET",
            hex(header)
        );
        for (i, (first, l)) in chunk.iter().enumerate() {
            let x = if *first { left + 2.0 * size } else { left };
            let y = 760.0 - pitch * i as f64;
            let _ = writeln!(
                s,
                "BT /F1 {size} Tf 1 0 0 1 {x:.2} {y:.2} Tm <{}> Tj ET",
                hex(l)
            );
        }
        let num = format!("- {} -", n + 1);
        let _ = writeln!(s, "BT /F1 10.5 Tf 1 0 0 1 290 40 Tm <{}> Tj ET", hex(&num));
        contents.push(s);
    }
    let mut to_unicode = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&char, &u16)> = cids.iter().collect();
    for block in entries.chunks(100) {
        let _ = writeln!(to_unicode, "{} beginbfchar", block.len());
        for (c, cid) in block {
            let utf16: String = c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(to_unicode, "<{cid:04X}> <{utf16}>");
        }
        to_unicode.push_str("endbfchar\n");
    }
    to_unicode.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    // Half-width characters are 500 units wide, the rest 1000 (the default).
    let mut w = String::from("[");
    for (c, cid) in &cids {
        if c.width_cjk() == Some(1) {
            let _ = write!(w, " {cid} [500]");
        }
    }
    w.push_str(" ]");
    let title_hex: String = "FEFF".to_string()
        + &title
            .encode_utf16()
            .map(|u| format!("{u:04X}"))
            .collect::<String>();

    let n_pages = pages.len();
    let first_page = 8;
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n_pages} >>",
            (0..n_pages)
                .map(|i| format!("{} 0 R", first_page + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H \
         /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>"
            .into(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
             /FontDescriptor 5 0 R /DW 1000 /W {w} /CIDToGIDMap /Identity >>"
        ),
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] \
         /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>"
            .into(),
        format!(
            "<< /Length {} >>\nstream\n{to_unicode}endstream",
            to_unicode.len()
        ),
        format!("<< /Title <{title_hex}> /Producer (policy-themes test) >>"),
    ];
    for (i, c) in contents.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * i + 1
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{c}endstream", c.len()));
    }
    write_pdf(&objects, 7)
}

/// A PDF whose pages hold only an image: a scan without OCR.
pub fn scanned_pdf(pages: usize) -> Vec<u8> {
    let first_page = 4;
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", first_page + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
         /BitsPerComponent 8 /Length 4 >>\nstream\n\u{7f}\u{7f}\u{7f}\u{7f}\nendstream"
            .into(),
    ];
    let draw = "q 595 0 0 842 0 0 cm /Im1 Do Q\n";
    for i in 0..pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /XObject << /Im1 3 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * i + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{draw}endstream",
            draw.len()
        ));
    }
    write_pdf(&objects, 0)
}

/// Objects numbered from 1, with a cross-reference table and a trailer
/// (`info`: the Info object's number, or 0 for none).
fn write_pdf(objects: &[String], info: usize) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{o}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(out, "{off:010} 00000 n ");
    }
    let info = if info > 0 {
        format!(" /Info {info} 0 R")
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out
}

/// A Word .docx of `lines`, one paragraph each (the first in runs split
/// mid-line, as Word splits them), with `title` in its core properties.
pub fn docx(title: &str, lines: &[&str]) -> Vec<u8> {
    let esc = |s: &str| escape(s).replace('\'', "&apos;");
    let mut body = String::new();
    for (i, l) in lines.iter().enumerate() {
        let chars: Vec<char> = l.chars().collect();
        let cut = chars.len() / 2;
        let (a, b): (String, String) =
            (chars[..cut].iter().collect(), chars[cut..].iter().collect());
        let ppr = if i == 0 {
            "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"
        } else {
            "<w:pPr><w:ind w:firstLineChars=\"200\"/></w:pPr>"
        };
        let _ = write!(
            body,
            "<w:p>{ppr}<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>",
            esc(&a),
            esc(&b)
        );
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
        </Relationships>";
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title></cp:coreProperties>",
        esc(title)
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in [
            ("[Content_Types].xml", content_types.to_string()),
            ("_rels/.rels", rels.to_string()),
            ("word/document.xml", document),
            ("docProps/core.xml", core),
        ] {
            z.start_file(name, opts).expect("zip entry");
            z.write_all(data.as_bytes()).expect("zip write");
        }
        z.finish().expect("zip finish");
    }
    buf.into_inner()
}
