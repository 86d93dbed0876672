//! Start order: a topological sort over dependency edges where config order breaks ties,
//! and, when there is none, the cycle named module by module.

use std::collections::BTreeSet;

/// `deps[i]` lists the nodes `i` must come after. Returns the order, or the nodes of one cycle
/// (first node repeated at the end) plus everything that could not be ordered.
pub fn topo_order(deps: &[Vec<usize>]) -> Result<Vec<usize>, (Vec<usize>, Vec<usize>)> {
    let n = deps.len();
    let mut remaining: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (node, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(node);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(next) = ready.pop_first() {
        order.push(next);
        for &dep in &dependents[next] {
            remaining[dep] -= 1;
            if remaining[dep] == 0 {
                ready.insert(dep);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    let stuck: Vec<usize> = (0..n).filter(|i| remaining[*i] > 0).collect();
    Err((find_cycle(deps, &stuck), stuck))
}

/// Walks dependency edges among `stuck` nodes until a node repeats.
fn find_cycle(deps: &[Vec<usize>], stuck: &[usize]) -> Vec<usize> {
    let mut path = vec![stuck[0]];
    loop {
        let last = *path.last().expect("path is never empty");
        let next = deps[last]
            .iter()
            .copied()
            .find(|d| stuck.contains(d))
            .expect("a stuck node always has a stuck dependency");
        if let Some(pos) = path.iter().position(|&p| p == next) {
            let mut cycle = path.split_off(pos);
            cycle.push(next);
            return cycle;
        }
        path.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_first_then_config_order() {
        // 0 needs 2, 1 needs nothing, 2 needs nothing.
        assert_eq!(
            topo_order(&[vec![2], vec![], vec![]]).unwrap(),
            vec![1, 2, 0]
        );
    }

    #[test]
    fn a_cycle_is_named() {
        // 0 -> 1 -> 2 -> 1, 3 fine.
        let (cycle, stuck) = topo_order(&[vec![1], vec![2], vec![1], vec![]]).unwrap_err();
        assert_eq!(cycle, vec![1, 2, 1]);
        assert_eq!(stuck, vec![0, 1, 2]);
    }
}
