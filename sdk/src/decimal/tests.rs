//! The decimal's exponents, comparisons and roundings against Python's `Decimal`.

use super::Decimal;
use serde_json::json;

fn d(text: &str) -> Decimal {
    Decimal::parse(text).expect(text)
}

#[test]
fn exponents_follow_python() {
    // Decimal('300.00') * 2 + 0 == Decimal('600.00')
    assert_eq!(
        d("300.00").times(2).plus(Decimal::int(0)).to_string(),
        "600.00"
    );
    // Decimal('300.00') * 0 == Decimal('0.00'): a zero count keeps the places.
    assert_eq!(d("300.00").times(0).to_string(), "0.00");
    // 980 (int arithmetic) * 10 / 100 == Decimal('98')
    assert_eq!(Decimal::int(980).times(10).per_cent().to_string(), "98");
    // Decimal('980.00') * 10 / 100 == Decimal('98.00')
    assert_eq!(d("980.00").times(10).per_cent().to_string(), "98.00");
    // Decimal('1234.56') * 7 / 100 == Decimal('86.4192'); minus it: Decimal('1148.1408')
    let discount = d("1234.56").times(7).per_cent();
    assert_eq!(discount.to_string(), "86.4192");
    assert_eq!(d("1234.56").minus(discount).to_string(), "1148.1408");
    // Decimal('1000.10') * 5 / 100 == Decimal('50.005')
    assert_eq!(d("1000.10").times(5).per_cent().to_string(), "50.005");
    assert_eq!(d("0.05").to_string(), "0.05");
    assert_eq!(d("-0.5").to_string(), "-0.5");
    assert_eq!(d("-0.05").to_string(), "-0.05");
    assert_eq!(d("10000.00").to_f64(), 10000.0);
    assert_eq!(d("12345.6").whole_digits(), 5);
    assert_eq!(d("12345678901234567.5").whole_digits(), 17);
    assert_eq!(d("0.5").whole_digits(), 1);
}

#[test]
fn parses_and_compares_by_value() {
    assert_eq!(d("5000"), d("5000.00"));
    assert!(d("5000.001") > d("5000"));
    assert_eq!(d("10000.00").minus(d("5000")).to_string(), "5000.00");
    for bad in ["", "1e5", "1e3", "abc", "1.2.3", "-", "1 000", "+5"] {
        assert!(Decimal::parse(bad).is_none(), "{bad}");
    }
    assert_eq!(Decimal::of_value(&json!(12.5)).unwrap().to_string(), "12.5");
    assert_eq!(Decimal::of_value(&json!("+5")).unwrap().to_string(), "5");
    assert_eq!(
        Decimal::of_value(&json!(" +.5 ")).unwrap().to_string(),
        "0.5"
    );
    for bad in [json!(true), json!("+-5"), json!("+ 5"), json!(null)] {
        assert!(Decimal::of_value(&bad).is_none(), "{bad}");
    }
}

#[test]
fn rounds_half_to_even_or_away_from_zero() {
    for (given, even, away) in [
        ("5000", "5000.00", "5000.00"),
        ("1.005", "1.00", "1.01"),
        ("1.015", "1.02", "1.02"),
        ("1.0151", "1.02", "1.02"),
        ("-1.005", "-1.00", "-1.01"),
        ("2.675", "2.68", "2.68"),
        ("10.005", "10.00", "10.01"),
        ("-10.005", "-10.00", "-10.01"),
        ("10.004", "10.00", "10.00"),
        ("7", "7.00", "7.00"),
    ] {
        assert_eq!(d(given).round_half_even(2).to_string(), even, "{given}");
        assert_eq!(d(given).round_half_up(2).to_string(), away, "{given}");
    }
}

#[test]
fn a_product_keeps_both_exponents_as_pythons_decimal() {
    let d = |t: &str| Decimal::parse(t).unwrap();
    assert_eq!(d("12.50").product(d("10.00")).to_string(), "125.0000");
    assert_eq!(d("-1.5").product(d("2")).to_string(), "-3.0");
    assert_eq!(d("0").product(d("-2.5")).to_string(), "0.0");
}
