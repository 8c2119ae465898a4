//! The page: one paragraph, its context, the codebook's themes with their
//! keys, the model's suggestion (shown, never selected), and progress.
//! Plain HTML forms that post and are redirected back, so it works without
//! JavaScript; a few lines of inline script add the keyboard. Nothing is
//! loaded from anywhere else.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::{Annotator, Decision, Key};
use crate::codebook::Codebook;
use crate::themes::Theme;

/// Keys for the themes in codebook order: digits, then letters not taken by
/// the actions (b back, n note, s skip, u undo).
pub const THEME_KEYS: &str = "123456789acdefghijklmopqrtvwxyz";

/// The keyboard shortcut of the `i`-th theme, if it has one.
pub fn shortcut(i: usize) -> Option<char> {
    THEME_KEYS.chars().nth(i)
}

/// Whether a paragraph reads as a section heading (`一、…`, `（二）…`, `第三…`).
fn is_heading(t: &str) -> bool {
    let t = t.trim();
    if t.chars().count() > 40 {
        return false;
    }
    let numerals = |c: char| "一二三四五六七八九十".contains(c);
    let mut cs = t.chars();
    match cs.next() {
        Some('（') | Some('(') => cs.next().is_some_and(numerals),
        Some('第') => cs.next().is_some_and(numerals),
        Some(c) if numerals(c) => {
            let rest: String = t.chars().skip_while(|&c| numerals(c)).take(1).collect();
            rest == "、"
        }
        _ => false,
    }
}

/// The heading over a paragraph: the nearest heading-like paragraph before it.
pub fn heading(a: &Annotator, key: &Key) -> Option<String> {
    (key.1.saturating_sub(200)..key.1)
        .rev()
        .filter_map(|p| a.unit(&(key.0.clone(), p)))
        .find(|u| is_heading(&u.text))
        .map(|u| u.text.trim().to_string())
}

fn theme_name(cb: &Codebook, t: Theme) -> String {
    format!("{} {}", cb.zh(t), cb.id(t))
}

fn describe(cb: &Codebook, d: &Decision) -> String {
    let mut s = theme_name(cb, d.theme);
    if let Some(t) = d.secondary {
        s.push_str(&format!(" (secondary {})", theme_name(cb, t)));
    }
    s
}

const STYLE: &str = "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222}\
.meta{color:#555}.ctx{color:#777;font-size:.95em;border-left:3px solid #ddd;padding-left:.6em}\
.para{font-size:1.25em;line-height:1.7;border-left:4px solid #4e79a7;padding:.3em .8em;background:#f6f8fb}\
.themes{display:grid;grid-template-columns:repeat(auto-fill,minmax(13em,1fr));gap:.3em;margin:.8em 0}\
.themes label{border:1px solid #ccc;border-radius:4px;padding:.3em .5em;cursor:pointer}\
.themes input:checked+span{font-weight:bold}.themes label.sug{border-color:#e15759}\
kbd{border:1px solid #aaa;border-radius:3px;padding:0 .3em;font-size:.85em;background:#fafafa}\
.flash{background:#fff3cd;border:1px solid #e0c36b;padding:.5em}.err{background:#f8d7da;border-color:#d9534f}\
.sug-line{color:#a33}.progress{color:#444;font-size:.9em}table{border-collapse:collapse}td{padding:0 .5em}\
button{margin-right:.4em}";

const SCRIPT: &str = "(function(){var sec=false;var m=document.getElementById('mode');\
document.addEventListener('keydown',function(e){if(e.ctrlKey||e.metaKey||e.altKey)return;\
var t=e.target,tag=t&&t.tagName;if(tag==='INPUT'&&t.type==='text'||tag==='TEXTAREA'||tag==='SELECT'){\
if(e.key==='Escape')t.blur();return;}\
if(e.key==='.'){sec=!sec;m.textContent=sec?'next theme key sets the secondary theme':'';e.preventDefault();return;}\
if(e.key==='n'){var n=document.getElementById('note');if(n){n.focus();e.preventDefault();}return;}\
var r=document.querySelector('input[name=theme][data-key=\"'+e.key+'\"]');\
if(r){e.preventDefault();if(sec){document.getElementById('secondary').value=r.value;sec=false;m.textContent='';}\
else{r.checked=true;document.getElementById('save').click();}return;}\
var b=document.querySelector('button[data-key=\"'+e.key+'\"]');if(b){e.preventDefault();b.click();}});})();";

/// The whole page. `token` goes into the form: a post without it is refused
/// (another site cannot make the browser post here).
pub fn render(a: &Annotator, token: &str) -> String {
    let cb = &a.codebook;
    let mut h = String::with_capacity(16 << 10);
    h.push_str("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    h.push_str("<title>annotate · policy-themes</title><style>");
    h.push_str(STYLE);
    h.push_str("</style></head><body>");
    h.push_str(&format!(
        "<h1>annotate <small class=\"meta\">{}</small></h1>",
        text(&a.file().path().display().to_string())
    ));
    if let Some(f) = &a.flash {
        let class = if f.starts_with("undone") || f.starts_with("nothing") {
            "flash"
        } else {
            "flash err"
        };
        h.push_str(&format!(
            "<p class=\"{class}\" id=\"flash\">{}</p>",
            text(f)
        ));
    }
    progress(a, &mut h);
    let Some(key) = a.session().current().cloned() else {
        h.push_str(
            "<p id=\"done\"><b>Nothing left to label.</b> Every paragraph of the inputs \
                    has a label in the file, or was skipped in this session (restart to see the \
                    skipped ones again).</p>",
        );
        actions_only(a, token, &mut h);
        h.push_str("</body></html>");
        return h;
    };
    let unit = a.unit(&key);
    let mut meta = vec![format!(
        "doc <b id=\"doc\">{}</b> ¶ <b id=\"para\">{}</b>",
        text(&key.0),
        key.1
    )];
    if let Some(u) = unit {
        if !u.region.is_empty() {
            meta.push(format!("region {}", text(&u.region)));
        }
        if let Some(y) = u.year {
            meta.push(format!("year {y}"));
        }
        if !u.section.is_empty() {
            meta.push(format!("section {}", text(&u.section)));
        }
    }
    if let Some(hd) = heading(a, &key) {
        meta.push(format!("under <q>{}</q>", text(&hd)));
    }
    h.push_str(&format!("<p class=\"meta\">{}</p>", meta.join(" · ")));
    let (prev, next) = a.neighbours(&key);
    if let Some(p) = prev {
        h.push_str(&format!(
            "<p class=\"ctx\" id=\"prev\"><small>before:</small> {}</p>",
            text(&p.text)
        ));
    }
    let body = unit.map(|u| u.text.as_str()).unwrap_or("");
    h.push_str(&format!("<p class=\"para\" id=\"text\">{}</p>", text(body)));
    if let Some(n) = next {
        h.push_str(&format!(
            "<p class=\"ctx\" id=\"next\"><small>after:</small> {}</p>",
            text(&n.text)
        ));
    }
    let suggestion = a.suggestion(&key);
    if let Some((names, [x, y])) = a.coders(&key) {
        h.push_str(&format!(
            "<p class=\"sug-line\" id=\"coders\">{}: <b>{}</b> · {}: <b>{}</b> (neither is selected: choose the gold label)</p>",
            text(&names[0]),
            text(&describe(cb, x)),
            text(&names[1]),
            text(&describe(cb, y))
        ));
    } else if let Some((t, p)) = suggestion {
        h.push_str(&format!(
            "<p class=\"sug-line\" id=\"suggestion\">model suggests <b>{}</b> ({:.0}% sure): \
             check it against the codebook; it is not selected</p>",
            text(&theme_name(cb, t)),
            p * 100.0
        ));
    }
    let own = a.decision(&key);
    h.push_str("<form method=\"post\" action=\"/\" id=\"f\">");
    hidden(&mut h, token, &key);
    h.push_str("<div class=\"themes\" role=\"radiogroup\" aria-label=\"theme\">");
    for (i, t) in cb.all().enumerate() {
        let k = shortcut(i);
        let checked = own.as_ref().is_some_and(|d| d.theme == t);
        let sug = suggestion.is_some_and(|(s, _)| s == t);
        h.push_str(&format!(
            "<label{} title=\"{}\"><input type=\"radio\" name=\"theme\" value=\"{}\"{}{} required> <span>{}{}</span></label>",
            if sug { " class=\"sug\"" } else { "" },
            attr(&cb.themes[i].content),
            attr(cb.id(t)),
            k.map(|k| format!(" data-key=\"{k}\"")).unwrap_or_default(),
            if checked { " checked" } else { "" },
            k.map(|k| format!("<kbd>{k}</kbd> ")).unwrap_or_default(),
            text(&theme_name(cb, t)),
        ));
    }
    h.push_str("</div><p><label>secondary theme <select name=\"secondary\" id=\"secondary\"><option value=\"\">none</option>");
    for t in cb.all() {
        let sel = own.as_ref().is_some_and(|d| d.secondary == Some(t));
        h.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            attr(cb.id(t)),
            if sel { " selected" } else { "" },
            text(&theme_name(cb, t))
        ));
    }
    h.push_str(&format!(
        "</select></label> <kbd>.</kbd> then a theme key · <label>note <input type=\"text\" name=\"note\" id=\"note\" size=\"40\" value=\"{}\"></label> <kbd>n</kbd> <span id=\"mode\" class=\"meta\"></span></p>",
        attr(&own.as_ref().map(|d| d.note.clone()).unwrap_or_default())
    ));
    // The save button comes first: Enter in the note field submits with it.
    h.push_str("<p><button type=\"submit\" name=\"action\" value=\"label\" id=\"save\">Save label</button>");
    action_buttons(a, &mut h);
    h.push_str("</p></form>");
    h.push_str("<p class=\"meta\">Keys: a theme's key saves it as the label; <kbd>.</kbd> then a theme key sets the secondary theme; <kbd>n</kbd> note; <kbd>s</kbd> skip; <kbd>b</kbd> back; <kbd>u</kbd> undo. Every label is written to the file at once.</p>");
    h.push_str("<script>");
    h.push_str(SCRIPT);
    h.push_str("</script></body></html>");
    h
}

fn hidden(h: &mut String, token: &str, key: &Key) {
    h.push_str(&format!(
        "<input type=\"hidden\" name=\"token\" value=\"{}\"><input type=\"hidden\" name=\"doc\" value=\"{}\"><input type=\"hidden\" name=\"para\" value=\"{}\">",
        attr(token),
        attr(&key.0),
        key.1
    ));
}

fn action_buttons(a: &Annotator, h: &mut String) {
    let s = a.session();
    h.push_str("<button type=\"submit\" name=\"action\" value=\"skip\" formnovalidate data-key=\"s\" id=\"skip\">Skip <kbd>s</kbd></button>");
    h.push_str(&format!(
        "<button type=\"submit\" name=\"action\" value=\"back\" formnovalidate data-key=\"b\" id=\"back\"{}>Back <kbd>b</kbd></button>",
        if s.can_go_back() { "" } else { " disabled" }
    ));
    h.push_str(&format!(
        "<button type=\"submit\" name=\"action\" value=\"undo\" formnovalidate data-key=\"u\" id=\"undo\"{}>Undo <kbd>u</kbd></button>",
        if s.can_undo() { "" } else { " disabled" }
    ));
}

fn actions_only(a: &Annotator, token: &str, h: &mut String) {
    h.push_str(&format!(
        "<form method=\"post\" action=\"/\"><input type=\"hidden\" name=\"token\" value=\"{}\"><p>",
        attr(token)
    ));
    action_buttons(a, h);
    h.push_str("</p></form>");
}

fn progress(a: &Annotator, h: &mut String) {
    let cb = &a.codebook;
    let counts = a.counts();
    let total: usize = counts.iter().sum();
    let left = a.session().left() + usize::from(a.session().current().is_some());
    h.push_str(&format!(
        "<p class=\"progress\" id=\"progress\"><b id=\"labelled\">{total}</b> labelled in the file \
         (<span id=\"written\">{}</span> in this session) · <b id=\"left\">{left}</b> left in this round · {}</p>",
        a.written(),
        text(&a.model_status())
    ));
    h.push_str(
        "<details class=\"progress\"><summary>labels per theme</summary><table id=\"per-theme\">",
    );
    for (t, n) in cb.all().zip(&counts) {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{n}</td></tr>",
            text(cb.zh(t)),
            text(cb.id(t))
        ));
    }
    h.push_str("</table></details>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_skip_the_action_keys() {
        assert_eq!(shortcut(0), Some('1'));
        assert_eq!(shortcut(8), Some('9'));
        assert_eq!(shortcut(9), Some('a'));
        assert_eq!(shortcut(10), Some('c'));
        for k in ['b', 'n', 's', 'u', '.'] {
            assert!(!THEME_KEYS.contains(k));
        }
        assert_eq!(shortcut(THEME_KEYS.len()), None);
    }

    #[test]
    fn headings_are_recognised() {
        assert!(is_heading("一、过去一年工作回顾"));
        assert!(is_heading("（三）坚持创新驱动"));
        assert!(is_heading("第二部分 二〇二三年工作安排"));
        assert!(!is_heading(
            "一是加快建设高标准农田，粮食产量稳定增长，农民收入持续提高，乡村面貌焕然一新。"
        ));
        assert!(!is_heading("今年工作的总体要求是"));
    }
}
