//! [`State`]: the original's objects during a run. Each line has its in-memory copy (what the
//! Python objects hold) and its stored copy (what a `save()` or an `.update()` wrote), since the
//! original saves some lines and not others; the claim has its in-memory columns.

use super::context::{Context, LineState};
use super::outcome::{ClaimWrite, Finding, LineWrite};

pub struct State<'a> {
    pub ctx: &'a Context,
    /// In memory, per `ctx.lines` index.
    pub mem: Vec<LineState>,
    /// As stored, per `ctx.lines` index.
    pub db: Vec<LineState>,
    /// The in-memory claim.
    pub claim: ClaimWrite,
}

impl<'a> State<'a> {
    pub fn new(ctx: &'a Context) -> State<'a> {
        let states: Vec<LineState> = ctx.lines.iter().map(|l| l.state.clone()).collect();
        State {
            ctx,
            mem: states.clone(),
            db: states,
            claim: ClaimWrite {
                status: ctx.claim.status,
                rejection_reason: ctx.claim.rejection_reason,
                processed: None,
            },
        }
    }

    /// `line.save()`.
    pub fn save(&mut self, index: usize) {
        self.db[index] = self.mem[index].clone();
    }

    /// `Claim.reject(code)`: an `.update()` of every valid line's rejection reason (stored
    /// copies only; the in-memory lines keep theirs).
    pub fn reject_lines(&mut self, code: i16) {
        for line in &mut self.db {
            line.rejection_reason = Some(code);
        }
    }

    /// `fetch_items_and_services`: the valid lines not rejected (reason 0 or null), items
    /// first, as stored.
    pub fn fetch(&self) -> Vec<usize> {
        (0..self.ctx.lines.len())
            .filter(|&i| matches!(self.db[i].rejection_reason, None | Some(0)))
            .collect()
    }

    /// A finding with the claim's uuid as detail.
    pub fn finding(&self, code: i16, message: &'static str) -> Finding {
        Finding {
            code,
            message,
            detail: Some(self.ctx.claim.uuid.clone()),
        }
    }

    /// The lines whose stored copy changed.
    pub fn writes(&self) -> Vec<LineWrite> {
        self.ctx
            .lines
            .iter()
            .zip(&self.db)
            .filter(|(line, db)| &line.state != *db)
            .map(|(line, db)| LineWrite {
                kind: line.kind,
                id: line.id,
                state: db.clone(),
            })
            .collect()
    }
}

/// Python's truthiness of a rejection reason (0 and null are "not rejected").
pub fn rejected(reason: Option<i16>) -> bool {
    matches!(reason, Some(r) if r != 0)
}
