//! A requested field as the original's `_adjust_notation` makes it a django path:
//! `to_snake_case(field.replace('.', '__'))`, graphene's two regular expressions by hand
//! (`chfId` → `chf_id`, `gender.code` → `gender__code`, `currentVillage.code` →
//! `current_village__code`).

/// graphene's `to_snake_case` of `name` with each `.` made `__`.
pub fn django_path(name: &str) -> String {
    let name = name.replace('.', "__");
    let chars: Vec<char> = name.chars().collect();
    // re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    let mut first = Vec::with_capacity(chars.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        let upper_then_lower = chars.get(i + 1).is_some_and(char::is_ascii_uppercase)
            && chars.get(i + 2).is_some_and(char::is_ascii_lowercase);
        if upper_then_lower {
            let mut end = i + 3;
            while chars.get(end).is_some_and(char::is_ascii_lowercase) {
                end += 1;
            }
            first.push(chars[i]);
            first.push('_');
            first.extend_from_slice(&chars[i + 1..end]);
            i = end;
        } else {
            first.push(chars[i]);
            i += 1;
        }
    }
    // re.sub("([a-z0-9])([A-Z])", r"\1_\2", s1).lower()
    let mut out = String::with_capacity(first.len() + 4);
    let mut i = 0;
    while i < first.len() {
        let c = first[i];
        let lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        if lower_or_digit && first.get(i + 1).is_some_and(char::is_ascii_uppercase) {
            out.push(c);
            out.push('_');
            out.push(first[i + 1]);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::django_path;

    #[test]
    fn names_become_the_originals_django_paths() {
        for (name, path) in [
            ("chfId", "chf_id"),
            ("lastName", "last_name"),
            ("gender.code", "gender__code"),
            ("family.uuid", "family__uuid"),
            ("currentVillage.code", "current_village__code"),
            (
                "currentVillage.parent.name",
                "current_village__parent__name",
            ),
            ("chf_id", "chf_id"),
            ("HFId", "hf_id"),
            ("aBcDe", "a_bc_de"),
            ("validityFrom", "validity_from"),
        ] {
            assert_eq!(django_path(name), path, "{name}");
        }
    }
}
