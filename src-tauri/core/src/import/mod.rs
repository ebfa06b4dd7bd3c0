//! Reading the files people's networks already live in: vCard (2.1, 3.0, 4.0), LinkedIn's
//! Connections.csv, Google Contacts CSV and any other CSV through a column mapping. One file
//! per format; each parser turns bytes into [`Record`]s [`Collected`] in file order and never
//! touches the database. Who is who (`identity`), how two records merge (`merge`) and what an
//! import would do (`plan`) are pure modules beside them; the store loads and writes.
//! Parsers never panic on any byte sequence: a file they cannot read is an `Error::Parse`,
//! a record they cannot use is skipped with its reason.

pub mod generic;
pub mod google;
pub mod identity;
pub mod linkedin;
pub mod merge;
mod plan;
pub mod vcard;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{self, Birthday, ContactInput, LabeledValue};
use crate::{Error, Result};

pub use generic::{guess_mapping, Field, Mapping};
pub use plan::{
    Choice, Conflict, CsvColumns, EntryStatus, ImportCounts, ImportOptions, ImportPlan,
    ImportPreview, ImportReport, ImportSource, ImportSummary, MatchedBy, PlanEntry,
};

/// Largest file an import reads (256 MiB): a 30,000-row LinkedIn export is about 4 MB; vCard
/// files with photos are the big ones, and Kith's own vCard export of a large network with
/// long notes (5,000 contacts with 15,000-character notes are 75 MB) must import back.
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

/// The file formats Kith reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Format {
    VCard,
    LinkedIn,
    GoogleCsv,
    /// Any other CSV: its columns need a [`Mapping`].
    Csv,
    /// Kith's own JSON backup.
    Backup,
}

impl Format {
    /// How the format is named to the user.
    pub fn label(self) -> &'static str {
        match self {
            Format::VCard => "vCard",
            Format::LinkedIn => "LinkedIn connections",
            Format::GoogleCsv => "Google Contacts CSV",
            Format::Csv => "CSV",
            Format::Backup => "Kith backup",
        }
    }
}

/// One contact as a file describes it, before it is checked or matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Record {
    /// Where it starts in the file: the line (CSV) or the card's number (vCard).
    pub at: String,
    pub contact: ContactInput,
    /// When the connection was made (LinkedIn's "Connected On"): becomes the first
    /// interaction.
    #[ts(optional = nullable)]
    pub connected_on: Option<NaiveDate>,
    /// What could not be kept of this record without stopping it ("birthday 31/02 is not a
    /// date").
    pub warnings: Vec<String>,
}

/// A record the file holds but Kith will not import, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Skipped {
    pub at: String,
    /// The name the record gives, if any, so the user can tell which one it was.
    #[ts(optional = nullable)]
    pub name: Option<String>,
    pub reason: String,
}

/// What a parser read from a file, in file order: the records, and those it skipped with
/// why. The import planner reads it whole (a file is at most [`MAX_FILE_BYTES`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Collected {
    pub records: Vec<Record>,
    pub skipped: Vec<Skipped>,
}

impl Collected {
    pub fn record(&mut self, record: Record) {
        self.records.push(record);
    }

    pub fn skip(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }
}

/// Reads `bytes` as the given format into `sink`. Generic CSV uses `mapping`, or the
/// mapping guessed from its header when there is none.
pub fn parse(
    bytes: &[u8],
    format: Format,
    mapping: Option<&Mapping>,
    sink: &mut Collected,
) -> Result<()> {
    check_size(bytes)?;
    match format {
        Format::VCard => vcard::parse(bytes, sink),
        Format::LinkedIn => linkedin::parse(&text(bytes)?, sink),
        Format::GoogleCsv => google::parse(&text(bytes)?, sink),
        Format::Csv => {
            let text = text(bytes)?;
            match mapping {
                Some(mapping) => generic::parse(&text, mapping, sink),
                None => {
                    let (_, mapping) = generic::header_and_guess(&text)?;
                    generic::parse(&text, &mapping, sink)
                }
            }
        }
        Format::Backup => Err(Error::parse(
            None,
            "A Kith backup is restored into an empty data folder, not imported.",
        )),
    }
}

/// Tells the format from the content (names lie: "contacts.csv" may be anything).
pub fn detect(bytes: &[u8]) -> Result<Format> {
    check_size(bytes)?;
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &head[start..];
    if head.len() >= 11 && head[..11].eq_ignore_ascii_case(b"BEGIN:VCARD") {
        return Ok(Format::VCard);
    }
    if head.starts_with(b"{") {
        return Ok(Format::Backup);
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Err(Error::parse(
            None,
            "This is a database file (a Kith backup?): restore it from Settings → Backups or \
             with `kith restore <file>`.",
        ));
    }
    if head.len() >= 15 && head[..15].eq_ignore_ascii_case(b"BEGIN:VCALENDAR") {
        return Err(Error::parse(
            None,
            "This is a calendar (.ics), not contacts: import a vCard or CSV file.",
        ));
    }
    // Only the start is looked at: a multi-byte character cut at the end is not an error.
    let head = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Err(not_utf8()),
    };
    if linkedin::header_row(head).is_some() {
        return Ok(Format::LinkedIn);
    }
    if google::is_google(head) {
        return Ok(Format::GoogleCsv);
    }
    if head.contains(',') || head.contains(';') || head.contains('\t') {
        return Ok(Format::Csv);
    }
    Err(Error::parse(
        None,
        "This is not a file Kith can import: use a vCard (.vcf), a LinkedIn Connections.csv, \
         a Google Contacts CSV or a CSV with a header row.",
    ))
}

/// The error for a file of `size` bytes, if it is too large to import.
pub fn check_file_size(size: u64) -> Result<()> {
    if size > MAX_FILE_BYTES as u64 {
        return Err(Error::parse(
            None,
            format!(
                "The file is {} MB; Kith imports files up to {} MB (export without photos, or \
                 split it).",
                size.div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// How much of a file [`detect`] needs.
pub const HEAD_BYTES: u64 = 64 * 1024;

/// Opens the file at `path` for reading, if it is a regular file: a device (`/dev/zero`),
/// a pipe or a socket may feed bytes without end, or none ever.
pub fn open_file(path: &std::path::Path) -> Result<std::fs::File> {
    if !std::fs::metadata(path).map_err(Error::io(path))?.is_file() {
        return Err(Error::parse(
            None,
            "This is not a regular file (a folder, a device or a pipe): save what you want to \
             import to a file first.",
        ));
    }
    std::fs::File::open(path).map_err(Error::io(path))
}

/// The first [`HEAD_BYTES`] of the file at `path`: enough to tell its format.
pub fn read_head(path: &std::path::Path) -> Result<Vec<u8>> {
    let mut head = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(open_file(path)?, HEAD_BYTES),
        &mut head,
    )
    .map_err(Error::io(path))?;
    Ok(head)
}

/// The bytes of the file at `path`, refusing one too large before reading it, and never
/// reading more than the limit allows (a file may grow while it is read).
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let file = open_file(path)?;
    check_file_size(file.metadata().map_err(Error::io(path))?.len())?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES as u64 + 1),
        &mut bytes,
    )
    .map_err(Error::io(path))?;
    check_file_size(bytes.len() as u64)?;
    Ok(bytes)
}

fn check_size(bytes: &[u8]) -> Result<()> {
    check_file_size(bytes.len() as u64)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::parse(None, "The file is empty."));
    }
    Ok(())
}

fn not_utf8() -> Error {
    Error::parse(
        None,
        "The file is not UTF-8 text (or is not text at all): save or export it as UTF-8 and \
         try again.",
    )
}

/// The file as UTF-8 text, without a byte-order mark.
pub fn text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| not_utf8())?;
    if text.contains('\0') {
        return Err(not_utf8());
    }
    Ok(text.to_owned())
}

/// Text of a cell, `None` when blank.
pub(crate) fn cell(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// "Priya" + "Raman" → "Priya Raman".
pub(crate) fn full_name(given: Option<&str>, family: Option<&str>) -> String {
    [given, family]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A labelled value, label lower-cased ("Work" → "work").
pub(crate) fn labeled(label: &str, value: &str) -> LabeledValue {
    LabeledValue {
        label: label.trim().to_lowercase(),
        value: value.trim().to_owned(),
    }
}

/// A date as contact files write it: ISO "1990-04-15", year-less "--04-15" / "--0415", and
/// the written forms LinkedIn uses ("15 Apr 2024", older exports "4/15/24").
pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    [
        "%Y-%m-%d",
        "%d %b %Y",
        "%m/%d/%y",
        "%m/%d/%Y",
        "%Y%m%d",
        "%b %d, %Y",
    ]
    .iter()
    .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// A birthday, with or without a year ("--04-15", "--0415", "1990-04-15").
pub(crate) fn birthday(text: &str) -> Option<Birthday> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("--") {
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 4 || rest.len() > 5 {
            return None;
        }
        let month = digits[..2].parse().ok()?;
        let day = digits[2..].parse().ok()?;
        return Birthday {
            month,
            day,
            year: None,
        }
        .validated()
        .ok();
    }
    use chrono::Datelike;
    let d = date(text)?;
    Birthday {
        month: d.month(),
        day: d.day(),
        year: Some(d.year()),
    }
    .validated()
    .ok()
}

/// Several values in one cell, as Google writes them: "a@x.org ::: b@x.org".
pub(crate) fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(":::").map(str::trim).filter(|v| !v.is_empty())
}

type Check = fn(&'static str, &str) -> Result<String>;

/// Drops the values a contact could not keep (a phone "call reception", an email without
/// "@", the twenty-first link), saying so, instead of dropping the whole contact.
fn keep_valid(
    kind: identity::Listed,
    what: &str,
    list: &mut Vec<LabeledValue>,
    check: Check,
    warnings: &mut Vec<String>,
) {
    let mut seen: Vec<String> = Vec::new();
    list.retain_mut(|v| {
        v.value = v.value.trim().to_owned();
        if what == "phone number" {
            if let Some(rest) = v.value.strip_prefix("tel:") {
                v.value = rest.to_owned();
            }
        }
        if v.label.chars().count() > model::MAX_LABEL_CHARS {
            v.label = v.label.chars().take(model::MAX_LABEL_CHARS).collect();
        }
        let key = kind.key(&v.value);
        if v.value.is_empty() || seen.contains(&key) {
            return false;
        }
        if check("value", &v.value).is_err() {
            let shown: String = v.value.chars().take(60).collect();
            warnings.push(format!("“{shown}” is not a valid {what}: left out."));
            return false;
        }
        if seen.len() == model::MAX_ENTRIES {
            warnings.push(format!(
                "More than {} of them: “{}” left out.",
                model::MAX_ENTRIES,
                v.value
            ));
            return false;
        }
        seen.push(key);
        true
    });
}

/// Checks a record as the contact form would; a record that breaks a rule is skipped with
/// the rule's sentence as its reason.
pub(crate) fn emit(sink: &mut Collected, mut record: Record) {
    if record.contact.display_name.trim().is_empty() {
        record.contact.display_name = record
            .contact
            .emails
            .first()
            .map(|e| e.value.clone())
            .or_else(|| record.contact.company.clone())
            .unwrap_or_default();
    }
    let name = cell(&record.contact.display_name);
    let c = &mut record.contact;
    for text in [&mut c.notes, &mut c.how_we_met].into_iter().flatten() {
        *text = text.replace("\r\n", "\n");
    }
    for (kind, what, list, check) in [
        (
            identity::Listed::Emails,
            "email",
            &mut c.emails,
            model::email as Check,
        ),
        (
            identity::Listed::Phones,
            "phone number",
            &mut c.phones,
            model::phone,
        ),
        (identity::Listed::Links, "link", &mut c.links, model::link),
    ] {
        keep_valid(kind, what, list, check, &mut record.warnings);
    }
    if let Some(b) = record.contact.birthday {
        if b.validated().is_err() {
            record.contact.birthday = None;
            record
                .warnings
                .push(format!("The birthday {} is not a real date.", b.to_db()));
        }
    }
    if let Some(zone) = record.contact.time_zone.take() {
        match crate::model::time_zone(Some(zone.clone())) {
            Ok(tz) => record.contact.time_zone = tz,
            Err(_) => record
                .warnings
                .push(format!("“{zone}” is not a time zone Kith knows; left out.")),
        }
    }
    if name.is_none() {
        return sink.skip(Skipped {
            at: record.at,
            name,
            reason: "It has no name, email or company.".into(),
        });
    }
    match record.contact.clone().validated() {
        Ok(contact) => {
            record.contact = contact;
            sink.record(record);
        }
        Err(e) => sink.skip(Skipped {
            at: record.at,
            name: name.map(|n| n.chars().take(80).collect()),
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub(crate) fn collect(bytes: &[u8], format: Format) -> Collected {
        let mut sink = Collected::default();
        parse(bytes, format, None, &mut sink).unwrap_or_else(|e| panic!("{e}"));
        sink
    }

    pub(crate) fn named<'a>(c: &'a Collected, name: &str) -> &'a Record {
        c.records
            .iter()
            .find(|r| r.contact.display_name == name)
            .unwrap_or_else(|| panic!("no record named {name} in {c:#?}"))
    }

    #[test]
    fn dates_in_every_form_contact_files_use() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(date("2024-03-15"), d(2024, 3, 15));
        assert_eq!(date("15 Mar 2024"), d(2024, 3, 15));
        assert_eq!(date("3/15/24"), d(2024, 3, 15));
        assert_eq!(date("03/15/2024"), d(2024, 3, 15));
        assert_eq!(date("31/12/24"), None);
        assert_eq!(
            birthday("--02-29"),
            Some(Birthday {
                month: 2,
                day: 29,
                year: None
            })
        );
        assert_eq!(
            birthday("--0415"),
            Some(Birthday {
                month: 4,
                day: 15,
                year: None
            })
        );
        assert_eq!(birthday("1990-02-29"), None);
        assert_eq!(birthday("--13-01"), None);
    }

    #[test]
    fn detects_each_format_from_its_content() {
        assert_eq!(detect(&fixture("apple.vcf")).ok(), Some(Format::VCard));
        assert_eq!(
            detect(&fixture("linkedin.csv")).ok(),
            Some(Format::LinkedIn)
        );
        assert_eq!(
            detect(&fixture("linkedin-2019.csv")).ok(),
            Some(Format::LinkedIn)
        );
        assert_eq!(detect(&fixture("google.csv")).ok(), Some(Format::GoogleCsv));
        assert_eq!(
            detect(&fixture("google-legacy.csv")).ok(),
            Some(Format::GoogleCsv)
        );
        assert_eq!(detect(&fixture("people.csv")).ok(), Some(Format::Csv));
        assert_eq!(
            detect(b"{\"format\": \"kith-backup\"}").ok(),
            Some(Format::Backup)
        );
    }

    const FIXTURES: [(&str, Format); 7] = [
        ("apple.vcf", Format::VCard),
        ("outlook-2.1.vcf", Format::VCard),
        ("v4.vcf", Format::VCard),
        ("linkedin.csv", Format::LinkedIn),
        ("linkedin-2019.csv", Format::LinkedIn),
        ("google.csv", Format::GoogleCsv),
        ("people.csv", Format::Csv),
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Importers never panic: every fixture with random bytes changed, cut or inserted,
        /// read as every format.
        #[test]
        fn importers_never_panic_on_damaged_files(
            which in 0..FIXTURES.len(),
            edits in proptest::collection::vec((0.0..1.0f64, proptest::prelude::any::<u8>(), 0..3u8), 0..12),
            cut in 0.0..1.0f64,
        ) {
            let mut bytes = fixture(FIXTURES[which].0);
            for (at, byte, how) in edits {
                let i = ((bytes.len() as f64) * at) as usize;
                match how {
                    0 if i < bytes.len() => bytes[i] = byte,
                    1 => bytes.insert(i.min(bytes.len()), byte),
                    _ if i < bytes.len() => { bytes.remove(i); }
                    _ => {}
                }
            }
            bytes.truncate(((bytes.len() as f64) * (0.5 + cut / 2.0)) as usize);
            let _ = detect(&bytes);
            for (_, format) in FIXTURES {
                let _ = parse(&bytes, format, None, &mut Collected::default());
            }
        }
    }

    #[test]
    fn a_field_of_a_megabyte_skips_its_record_and_says_why() {
        let huge = "x".repeat(1024 * 1024);
        let text = format!(
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
             Ana,Lima,,,,\"{huge}\",01 Feb 2021\n\
             Bo,Berg,,,,Engineer,01 Feb 2021\n"
        );
        let c = collect(text.as_bytes(), Format::LinkedIn);
        assert_eq!(c.records.len(), 1);
        assert_eq!(c.records[0].contact.display_name, "Bo Berg");
        assert_eq!(c.skipped.len(), 1);
        assert_eq!(c.skipped[0].name.as_deref(), Some("Ana Lima"));
        assert!(c.skipped[0].reason.contains("too long"), "{:?}", c.skipped);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let message = |bytes: &[u8]| match detect(bytes) {
            Ok(f) => {
                let mut sink = Collected::default();
                match parse(bytes, f, None, &mut sink) {
                    Ok(()) => panic!("{f:?} accepted: {sink:?}"),
                    Err(e) => e.to_string(),
                }
            }
            Err(e) => e.to_string(),
        };
        assert!(message(b"").contains("empty"));
        assert!(message(b"\x00\x01\x02\xff\xfe binary").contains("not UTF-8"));
        assert!(message(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").contains("calendar"));
        // Latin-1 text saved by an old spreadsheet.
        assert!(message(b"Name,Email\nJ\xfcrgen,j@example.com\n").contains("not UTF-8"));
        let big = check_file_size(MAX_FILE_BYTES as u64 + 1).unwrap_err();
        assert!(big.to_string().contains("up to 256 MB"), "{big}");
        assert!(message(b"just some words\nand more").contains("not a file Kith can import"));
    }
}
