//! Escaping for HTML and XML text and attributes. Everything a system under test sent (bodies,
//! headers, error messages) passes through here before it reaches a report, so markup in it is
//! shown as text and never interpreted.

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// [`html`], and characters XML 1.0 forbids (control characters but tab, newline, carriage
/// return) replaced by U+FFFD, so the document stays well-formed whatever a SUT sent.
pub fn xml(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    html(&cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_inert() {
        assert_eq!(
            html(r#"<script>alert('x')</script>&"#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(xml("a\u{1}b\"c"), "a\u{FFFD}b&quot;c");
    }
}
