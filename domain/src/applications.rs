//! What a student's application for certificates is made of, parsed once and shared by the
//! browser's form and the server: the lines (type, language, copies), the purpose, and the
//! address a posted certificate goes to. The catalogue decides what is orderable; these types
//! only keep what no catalogue could accept (a postal code of 6 digits, a control character).

use crate::i18n::{CertificateMsg, FieldMsg, Lang};
use crate::CatalogueCode;
use serde::{Deserialize, Serialize};

/// Most lines (certificate types) one application holds.
pub const MAX_LINES: usize = 10;
/// Most characters of the purpose (用途).
pub const MAX_PURPOSE_CHARS: usize = 100;
/// Most characters of one line of an address.
pub const MAX_ADDRESS_CHARS: usize = 100;

/// Where an application is, from payment to the student's hands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApplicationStatus {
    /// 支払待ち: made to be paid through the gateway (card, konbini), not paid yet.
    AwaitingPayment,
    /// 未払いで終了: the gateway's payment was declined or expired; nothing was charged.
    Unpaid,
    /// 受付済: paid, waiting for the office.
    Accepted,
    /// 処理中
    Processing,
    /// 発行済: the PDF is ready to download.
    Issued,
    /// 発送済: posted, with a tracking number.
    Sent,
    /// 受取可: at the counter or a campus machine.
    Ready,
    /// 受取済
    Collected,
    /// 取消: the money went back.
    Cancelled,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 9] = [
        ApplicationStatus::AwaitingPayment,
        ApplicationStatus::Unpaid,
        ApplicationStatus::Accepted,
        ApplicationStatus::Processing,
        ApplicationStatus::Issued,
        ApplicationStatus::Sent,
        ApplicationStatus::Ready,
        ApplicationStatus::Collected,
        ApplicationStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::AwaitingPayment => "awaiting_payment",
            ApplicationStatus::Unpaid => "unpaid",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::Processing => "processing",
            ApplicationStatus::Issued => "issued",
            ApplicationStatus::Sent => "sent",
            ApplicationStatus::Ready => "ready",
            ApplicationStatus::Collected => "collected",
            ApplicationStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    pub fn msg(self) -> CertificateMsg {
        match self {
            ApplicationStatus::AwaitingPayment => CertificateMsg::StatusAwaitingPayment,
            ApplicationStatus::Unpaid => CertificateMsg::StatusUnpaid,
            ApplicationStatus::Accepted => CertificateMsg::StatusAccepted,
            ApplicationStatus::Processing => CertificateMsg::StatusProcessing,
            ApplicationStatus::Issued => CertificateMsg::StatusIssued,
            ApplicationStatus::Sent => CertificateMsg::StatusSent,
            ApplicationStatus::Ready => CertificateMsg::StatusReady,
            ApplicationStatus::Collected => CertificateMsg::StatusCollected,
            ApplicationStatus::Cancelled => CertificateMsg::StatusCancelled,
        }
    }
}

/// How an application is paid: from the card's balance at once, or through the payment
/// gateway (a card, or a konbini slip paid later), the application waiting for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayBy {
    Balance,
    Card,
    Konbini,
}

impl PayBy {
    pub const ALL: [PayBy; 3] = [PayBy::Balance, PayBy::Card, PayBy::Konbini];

    pub fn code(self) -> &'static str {
        match self {
            PayBy::Balance => "balance",
            PayBy::Card => "card",
            PayBy::Konbini => "konbini",
        }
    }

    pub fn from_code(code: &str) -> Option<PayBy> {
        Self::ALL.into_iter().find(|pay_by| pay_by.code() == code)
    }

    /// Paid through the gateway, not from the balance.
    pub fn is_gateway(self) -> bool {
        self != PayBy::Balance
    }
}

/// One certificate type of an application: which, in which language, how many copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub code: CatalogueCode,
    pub lang: Lang,
    pub copies: u32,
}

/// The fields of an address form, as typed (a field not sent is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressForm {
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub street: String,
    pub building: String,
    pub recipient: String,
    pub country: String,
}

/// Which field of the address form a fault is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AddressField {
    PostalCode,
    Prefecture,
    City,
    Street,
    Building,
    Recipient,
    Country,
}

/// An address a certificate is posted to: in Japan (with 〒), or abroad by EMS in Latin
/// letters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Address {
    Japan {
        /// Seven digits, without the hyphen.
        postal_code: String,
        prefecture: String,
        city: String,
        street: String,
        building: Option<String>,
        recipient: String,
    },
    Abroad {
        country: String,
        city: String,
        street: String,
        building: Option<String>,
        postal_code: Option<String>,
        recipient: String,
    },
}

/// The 47 prefectures, in their official order.
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

type Faults = Vec<(AddressField, FieldMsg)>;

/// A line of text: trimmed, required or not, at most `MAX_ADDRESS_CHARS`, no control
/// characters (a line break in a label prints where it should not).
fn text_line(
    faults: &mut Faults,
    field: AddressField,
    value: &str,
    required: bool,
) -> Option<String> {
    let value = value.trim();
    let fault = if value.is_empty() {
        required.then_some(FieldMsg::Required)
    } else if value.chars().any(char::is_control) {
        Some(FieldMsg::ControlCharacters)
    } else if value.chars().count() > MAX_ADDRESS_CHARS {
        Some(FieldMsg::TooLong)
    } else {
        None
    };
    match fault {
        Some(msg) => {
            faults.push((field, msg));
            None
        }
        None => (!value.is_empty()).then(|| value.to_owned()),
    }
}

/// Latin letters, digits, spaces and the punctuation of addresses: what an EMS label abroad
/// can carry and a foreign postman can read.
fn latin_line(
    faults: &mut Faults,
    field: AddressField,
    value: &str,
    required: bool,
) -> Option<String> {
    let line = text_line(faults, field, value, required)?;
    let latin = line.chars().all(|c| c.is_ascii_alphanumeric() || " .,-/#'&()".contains(c));
    if latin {
        Some(line)
    } else {
        faults.push((field, FieldMsg::LatinLettersOnly));
        None
    }
}

/// A postal code in Japan: seven digits, with or without the hyphen, full-width digits
/// accepted (a phone's keyboard gives them) and stored half-width.
pub fn postal_code(text: &str) -> Option<String> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '－' | 'ー' | '‐'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .collect();
    (digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

impl Address {
    /// An address in Japan from its form, or every field's fault.
    pub fn japan(form: &AddressForm) -> Result<Address, Faults> {
        let mut faults = Faults::new();
        let postal = match form.postal_code.trim() {
            "" => {
                faults.push((AddressField::PostalCode, FieldMsg::Required));
                None
            }
            typed => {
                let code = postal_code(typed);
                if code.is_none() {
                    faults.push((AddressField::PostalCode, FieldMsg::PostalCodeInvalid));
                }
                code
            }
        };
        let prefecture = form.prefecture.trim();
        if !PREFECTURES.contains(&prefecture) {
            faults.push((AddressField::Prefecture, FieldMsg::ChoosePrefecture));
        }
        let city = text_line(&mut faults, AddressField::City, &form.city, true);
        let street = text_line(&mut faults, AddressField::Street, &form.street, true);
        let building = text_line(&mut faults, AddressField::Building, &form.building, false);
        let recipient = text_line(&mut faults, AddressField::Recipient, &form.recipient, true);
        match (postal, city, street, recipient) {
            (Some(postal_code), Some(city), Some(street), Some(recipient)) if faults.is_empty() => {
                Ok(Address::Japan {
                    postal_code,
                    prefecture: prefecture.to_owned(),
                    city,
                    street,
                    building,
                    recipient,
                })
            }
            _ => Err(faults),
        }
    }

    /// An address abroad (EMS) from its form, in Latin letters, or every field's fault.
    pub fn abroad(form: &AddressForm) -> Result<Address, Faults> {
        let mut faults = Faults::new();
        let country = latin_line(&mut faults, AddressField::Country, &form.country, true);
        let city = latin_line(&mut faults, AddressField::City, &form.city, true);
        let street = latin_line(&mut faults, AddressField::Street, &form.street, true);
        let building = latin_line(&mut faults, AddressField::Building, &form.building, false);
        let postal_code = latin_line(
            &mut faults,
            AddressField::PostalCode,
            &form.postal_code,
            false,
        );
        let recipient = latin_line(&mut faults, AddressField::Recipient, &form.recipient, true);
        match (country, city, street, recipient) {
            (Some(country), Some(city), Some(street), Some(recipient)) if faults.is_empty() => {
                Ok(Address::Abroad {
                    country,
                    city,
                    street,
                    building,
                    postal_code,
                    recipient,
                })
            }
            _ => Err(faults),
        }
    }

    /// The address as a label prints it, one line each.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Address::Japan {
                postal_code,
                prefecture,
                city,
                street,
                building,
                recipient,
            } => {
                let mut lines = vec![
                    format!("〒{}-{}", &postal_code[..3], &postal_code[3..]),
                    format!("{prefecture}{city}{street}"),
                ];
                lines.extend(building.clone());
                lines.push(format!("{recipient} 様"));
                lines
            }
            Address::Abroad {
                country,
                city,
                street,
                building,
                postal_code,
                recipient,
            } => {
                let mut lines = vec![recipient.clone(), street.clone()];
                lines.extend(building.clone());
                lines.push(match postal_code {
                    Some(code) => format!("{city} {code}"),
                    None => city.clone(),
                });
                lines.push(country.to_uppercase());
                lines
            }
        }
    }
}

/// The purpose (用途): optional, one line, at most `MAX_PURPOSE_CHARS`.
pub fn purpose(text: &str) -> Result<Option<String>, FieldMsg> {
    let text = text.trim();
    if text.is_empty() {
        Ok(None)
    } else if text.chars().any(char::is_control) {
        Err(FieldMsg::ControlCharacters)
    } else if text.chars().count() > MAX_PURPOSE_CHARS {
        Err(FieldMsg::TooLong)
    } else {
        Ok(Some(text.to_owned()))
    }
}

/// Copies as typed: a whole number from 1.
pub fn copies(text: &str) -> Option<u32> {
    let text = text.trim();
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<u32>().ok())
        .flatten()
        .filter(|copies| *copies >= 1)
}

/// How an application number reads: eight digits, the same on every page and mail.
pub fn application_number(id: i32) -> String {
    format!("{id:08}")
}

/// An application number as typed in an address: `None` unless it is one.
pub fn parse_application_number(text: &str) -> Option<i32> {
    let text = text.trim();
    (!text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<i32>().ok())
        .flatten()
        .filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn japan() -> AddressForm {
        AddressForm {
            postal_code: "１１３-００３３".to_owned(),
            prefecture: "東京都".to_owned(),
            city: "文京区".to_owned(),
            street: "本郷7-3-1".to_owned(),
            building: String::new(),
            recipient: "山田 太郎".to_owned(),
            country: String::new(),
        }
    }

    #[test]
    fn a_postal_code_of_full_width_digits_with_a_hyphen_is_kept_as_seven_digits() {
        let address = Address::japan(&japan()).unwrap();

        assert_eq!(address.lines()[0], "〒113-0033");
    }

    #[test]
    fn a_postal_code_that_is_not_seven_digits_is_refused_with_the_other_faults() {
        let mut form = japan();
        form.postal_code = "113-003".to_owned();
        form.prefecture = "東京".to_owned();
        form.street = "本郷\n7-3-1".to_owned();

        let faults = Address::japan(&form).unwrap_err();

        assert_eq!(
            faults,
            vec![
                (AddressField::PostalCode, FieldMsg::PostalCodeInvalid),
                (AddressField::Prefecture, FieldMsg::ChoosePrefecture),
                (AddressField::Street, FieldMsg::ControlCharacters),
            ]
        );
    }

    #[test]
    fn an_address_abroad_must_be_in_latin_letters() {
        let form = AddressForm {
            country: "Germany".to_owned(),
            city: "ベルリン".to_owned(),
            street: "Unter den Linden 6".to_owned(),
            recipient: "Taro Yamada".to_owned(),
            ..Default::default()
        };

        let faults = Address::abroad(&form).unwrap_err();

        assert_eq!(
            faults,
            vec![(AddressField::City, FieldMsg::LatinLettersOnly)]
        );
    }

    #[test]
    fn copies_and_numbers_are_whole_positive_numbers() {
        assert_eq!(copies("2"), Some(2));
        assert_eq!(copies("0"), None);
        assert_eq!(copies("-1"), None);
        assert_eq!(copies("1.5"), None);
        assert_eq!(parse_application_number(&application_number(42)), Some(42));
        assert_eq!(parse_application_number("0"), None);
        assert_eq!(parse_application_number("abc"), None);
    }
}
