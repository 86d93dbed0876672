//! Which policy covers which line through which product item/service
//! (`get_product_items_services`): one entry per (valid product line, policy of its product),
//! per item/service, sorted by the policy's effective date plus the waiting period.

use super::context::{Context, Kind, Policy, ProductLine};
use super::day::Day;
use std::collections::BTreeMap;

/// A product item/service and a policy of its product.
#[derive(Debug, Clone, Copy)]
pub struct Coverage<'a> {
    pub line: &'a ProductLine,
    pub policy: &'a Policy,
    /// The adult's or the child's waiting period, 0 when null.
    pub waiting_period: i32,
}

/// The coverages of the lines' items and services, and the indexes the original derives.
#[derive(Debug, Default)]
pub struct Coverages<'a> {
    /// Per item/service, sorted (the original's `item_product_data`).
    pub by_medical: BTreeMap<(Kind, i32), Vec<Coverage<'a>>>,
    /// Per item/service, each product line once, in that order (`product_items_by_item_id`).
    pub lines: BTreeMap<(Kind, i32), Vec<&'a ProductLine>>,
    /// Per (product, item/service), the last entry's product line (`product_item_tuple_dict`).
    pub by_product: BTreeMap<(Kind, i32, i32), &'a ProductLine>,
}

impl<'a> Coverages<'a> {
    /// The coverages of `medical` (the lines' items and services) under `policies`.
    pub fn build(
        ctx: &'a Context,
        policies: &[&'a Policy],
        medical: &[(Kind, i32)],
        adult: bool,
    ) -> Coverages<'a> {
        let mut out = Coverages::default();
        for (kind, lines) in &ctx.product_lines {
            let wanted: Vec<i32> = medical
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, id)| *id)
                .collect();
            if wanted.is_empty() {
                continue;
            }
            for line in lines.iter().filter(|l| wanted.contains(&l.medical_id)) {
                let waiting = if adult {
                    line.waiting_period_adult
                } else {
                    line.waiting_period_child
                };
                for policy in policies.iter().filter(|p| p.product_id == line.product_id) {
                    out.by_medical
                        .entry((*kind, line.medical_id))
                        .or_default()
                        .push(Coverage {
                            line,
                            policy,
                            waiting_period: waiting.unwrap_or(0),
                        });
                }
            }
        }
        for (key, entries) in &mut out.by_medical {
            entries.sort_by_key(|c| start(c.policy.effective_date, c.waiting_period));
            let unique = out.lines.entry(*key).or_default();
            for entry in entries.iter() {
                if !unique.iter().any(|l| l.id == entry.line.id) {
                    unique.push(entry.line);
                }
                out.by_product
                    .insert((key.0, entry.line.product_id, key.1), entry.line);
            }
        }
        out
    }

    pub fn of(&self, kind: Kind, medical_id: i32) -> &[Coverage<'a>] {
        self.by_medical
            .get(&(kind, medical_id))
            .map_or(&[], Vec::as_slice)
    }
}

/// The sort key: the effective date plus the waiting period in months.
fn start(effective: Option<Day>, months: i32) -> Option<Day> {
    effective.map(|d| d.plus_months(i64::from(months)))
}
