//! Money: whole yen, never a float. The card balance, top-ups, debits and (later) fees are all
//! `Yen`; a ledger posting is a signed `i64` of yen, and only the ledger deals in signs.

use serde::{Deserialize, Serialize};

/// An amount of money in whole yen, zero or more.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Yen(i64);

/// Why a typed amount is not one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    Missing,
    /// Letters, a decimal point, or digits in a wrong place.
    NotAWholeNumber,
    Negative,
    /// More than [`Yen::MAX`]: no card, fee or top-up comes near it.
    TooLarge,
}

impl Yen {
    pub const ZERO: Yen = Yen(0);
    /// A trillion yen: far above any amount the service handles, far below `i64::MAX`, so
    /// adding two amounts never overflows.
    pub const MAX: Yen = Yen(1_000_000_000_000);

    /// An amount from a number the program holds (a setting, a database column).
    pub const fn new(yen: i64) -> Option<Yen> {
        if yen >= 0 && yen <= Self::MAX.0 {
            Some(Yen(yen))
        } else {
            None
        }
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// An amount as a person types it: `3000`, `3,000`, `３０００`, `3000円`, with spaces
    /// around. A decimal point, a sign or anything else is refused.
    pub fn parse(input: &str) -> Result<Yen, AmountError> {
        let text = input.trim();
        let text = text.strip_suffix('円').or_else(|| text.strip_suffix('¥')).unwrap_or(text);
        let text = text.strip_prefix(['¥', '￥']).unwrap_or(text).trim();
        if text.is_empty() {
            return Err(AmountError::Missing);
        }
        if text.starts_with(['-', '−', '－']) {
            return Err(AmountError::Negative);
        }
        let mut digits = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '0'..='9' => digits.push(c),
                // Full-width digits, as a Japanese input method types them.
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                ',' | '，' => {}
                _ => return Err(AmountError::NotAWholeNumber),
            }
        }
        if digits.is_empty() || !commas_group_thousands(text) {
            return Err(AmountError::NotAWholeNumber);
        }
        if digits.len() > 13 {
            return Err(AmountError::TooLarge);
        }
        let value: i64 = digits.parse().map_err(|_| AmountError::NotAWholeNumber)?;
        Yen::new(value).ok_or(AmountError::TooLarge)
    }

    pub fn checked_add(self, other: Yen) -> Option<Yen> {
        Yen::new(self.0 + other.0)
    }

    pub fn checked_sub(self, other: Yen) -> Option<Yen> {
        Yen::new(self.0 - other.0)
    }

    pub fn saturating_sub(self, other: Yen) -> Yen {
        Yen((self.0 - other.0).max(0))
    }

    /// `1,000` (digits grouped by thousands; the caller adds `円` or `yen`).
    pub fn grouped(self) -> String {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// `1,000` and `1000` are amounts; `1,00` and `10,0000` are typing mistakes, not 100 or 100000.
fn commas_group_thousands(text: &str) -> bool {
    let groups: Vec<&str> = text.split([',', '，']).collect();
    if groups.len() == 1 {
        return true;
    }
    let first = groups[0].chars().count();
    (1..=3).contains(&first) && groups[1..].iter().all(|g| g.chars().count() == 3)
}

impl TryFrom<i64> for Yen {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Yen::new(value).ok_or_else(|| format!("{value} is not an amount of yen"))
    }
}

impl From<Yen> for i64 {
    fn from(value: Yen) -> i64 {
        value.0
    }
}

impl std::fmt::Display for Yen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

#[cfg(test)]
mod tests {
    use super::{AmountError, Yen};

    #[test]
    fn amounts_are_read_as_people_type_them() {
        for (typed, yen) in [
            ("3000", 3000),
            ("3,000", 3000),
            ("３０００", 3000),
            ("３，０００円", 3000),
            (" 10000円 ", 10000),
            ("¥1,000", 1000),
            ("0", 0),
            ("1,234,567", 1_234_567),
        ] {
            assert_eq!(Yen::parse(typed), Ok(Yen::new(yen).unwrap()), "{typed}");
        }
    }

    #[test]
    fn what_is_not_a_whole_amount_of_yen_is_refused_with_its_reason() {
        for (typed, reason) in [
            ("", AmountError::Missing),
            ("  円", AmountError::Missing),
            ("-500", AmountError::Negative),
            ("−500", AmountError::Negative),
            ("1000.5", AmountError::NotAWholeNumber),
            ("1e3", AmountError::NotAWholeNumber),
            ("1,00", AmountError::NotAWholeNumber),
            ("10,0000", AmountError::NotAWholeNumber),
            (",", AmountError::NotAWholeNumber),
            ("99999999999999999999", AmountError::TooLarge),
            ("1000000000001", AmountError::TooLarge),
        ] {
            assert_eq!(Yen::parse(typed), Err(reason), "{typed}");
        }
    }

    #[test]
    fn amounts_are_written_in_groups_of_three_digits() {
        assert_eq!(Yen::new(0).unwrap().to_string(), "0");
        assert_eq!(Yen::new(999).unwrap().to_string(), "999");
        assert_eq!(Yen::new(1000).unwrap().to_string(), "1,000");
        assert_eq!(Yen::new(30_000).unwrap().to_string(), "30,000");
        assert_eq!(Yen::new(1_234_567).unwrap().to_string(), "1,234,567");
    }

    #[test]
    fn an_amount_never_goes_below_zero_or_past_the_maximum() {
        assert_eq!(Yen::new(-1), None);
        assert_eq!(Yen::new(1_000_000_000_001), None);
        let hundred = Yen::new(100).unwrap();
        assert_eq!(Yen::ZERO.checked_sub(hundred), None);
        assert_eq!(Yen::MAX.checked_add(hundred), None);
        assert!(serde_json::from_str::<Yen>("-5").is_err());
    }
}
