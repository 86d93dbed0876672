//! [`set_order`]: the order CPython iterates `set(ints)` in (its hash table's slot order), which
//! the original's ded/rem loop follows over `set(policy ids)`: with several policies, which one
//! is processed last decides each line's amounts.

const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;
const MIN_SIZE: usize = 8;

/// Inserts `key` (hash = itself) into `table`, CPython's `set_insert_clean`; answers false
/// when it is already there.
fn insert(table: &mut [Option<i64>], key: i64, check_equal: bool) -> bool {
    let mask = table.len() - 1;
    let hash = key as u64 as usize;
    let mut perturb = hash;
    let mut i = hash & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        for j in 0..=probes {
            match table[i + j] {
                None => {
                    table[i + j] = Some(key);
                    return true;
                }
                Some(k) if check_equal && k == key => return false,
                Some(_) => {}
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

/// `list(set(keys))` for non-negative integers, as CPython 3 answers it.
pub fn set_order(keys: &[i64]) -> Vec<i64> {
    let mut table: Vec<Option<i64>> = vec![None; MIN_SIZE];
    let mut used = 0usize;
    for &key in keys {
        if !insert(&mut table, key, true) {
            continue;
        }
        used += 1;
        let mask = table.len() - 1;
        if used * 5 >= mask * 3 {
            let wanted = if used > 50_000 { used * 2 } else { used * 4 };
            let mut size = MIN_SIZE;
            while size <= wanted {
                size <<= 1;
            }
            let old = std::mem::replace(&mut table, vec![None; size]);
            for key in old.into_iter().flatten() {
                insert(&mut table, key, false);
            }
        }
    }
    table.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::set_order;

    #[test]
    fn answers_cpythons_order() {
        // python3 -c "print(list(set((9, 2))), list(set((17, 1, 9))), list(set((100, 3, 12, 44, 5, 6))))"
        assert_eq!(set_order(&[9, 2]), vec![9, 2]);
        assert_eq!(set_order(&[17, 1, 9]), vec![17, 1, 9]);
        assert_eq!(
            set_order(&[100, 3, 12, 44, 5, 6]),
            vec![3, 100, 5, 6, 12, 44]
        );
        assert_eq!(set_order(&[4, 4, 1]), vec![1, 4]);
        assert_eq!(set_order(&[69, 292, 434]), vec![434, 292, 69]);
        assert_eq!(
            set_order(&[411, 392, 33, 131, 61]),
            vec![33, 131, 392, 411, 61]
        );
        assert_eq!(
            set_order(&[254, 390, 231, 242, 334, 195, 404]),
            vec![195, 390, 231, 334, 242, 404, 254]
        );
        assert_eq!(
            set_order(&[108, 49, 250, 15, 458, 428, 200, 222, 312, 391, 393, 2]),
            vec![2, 391, 200, 393, 458, 108, 428, 15, 49, 312, 250, 222]
        );
        assert!(set_order(&[]).is_empty());
    }
}
