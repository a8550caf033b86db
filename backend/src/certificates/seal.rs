//! The university's seal (公印) on its certificates. An admin uploads a PNG of it in the
//! console's settings; it is decoded whole before it is kept, so a file that cannot be drawn is
//! refused at upload, never at an issue. Without one, certificates print a seal set in type:
//! the university's Japanese name and 之印 in a red square, as a 角印 reads.

use super::issuance::Seal;
use crate::entities::{tenant, university_seal};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::secrets::sha256_hex;
use crate::platform::{begin, storage, StorageError};
use domain::{Permission, StaffMember};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use std::sync::Arc;

/// The largest seal file: a seal is a small image.
pub const MAX_SEAL_BYTES: usize = 1024 * 1024;
/// Sides in pixels: enough to print sharply at 20 mm, little enough to decode at once.
pub const MIN_SEAL_SIDE: u32 = 64;
pub const MAX_SEAL_SIDE: u32 = 2048;
/// A seal is about square: a long strip would print too small to read.
const MAX_SEAL_RATIO: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("not allowed")]
    Forbidden,
    #[error("the image is larger than 1 MB")]
    TooLarge,
    #[error("the file is not a PNG image that decodes")]
    NotPng,
    #[error("a side is out of range, or the image is far from square")]
    BadSize,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<Forbidden> for SealError {
    fn from(_: Forbidden) -> Self {
        SealError::Forbidden
    }
}

/// A PNG that decodes whole, of a seal's size.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SealImage {
    png: Vec<u8>,
    width: u32,
    height: u32,
}

impl SealImage {
    fn parse(png: Vec<u8>) -> Result<Self, SealError> {
        if png.len() > MAX_SEAL_BYTES {
            return Err(SealError::TooLarge);
        }
        let decoder = png::Decoder::new(std::io::Cursor::new(png.as_slice()));
        let mut reader = decoder.read_info().map_err(|_| SealError::NotPng)?;
        let (width, height) = reader.info().size();
        let side = MIN_SEAL_SIDE..=MAX_SEAL_SIDE;
        let (short, long) = (width.min(height), width.max(height));
        if !side.contains(&width) || !side.contains(&height) || long > short * MAX_SEAL_RATIO {
            return Err(SealError::BadSize);
        }
        // Bounded by the sides checked above (at most 2048² pixels of 16-bit RGBA, 32 MiB).
        let mut pixels = vec![0; reader.output_buffer_size().ok_or(SealError::NotPng)?];
        reader.next_frame(&mut pixels).map_err(|_| SealError::NotPng)?;
        Ok(Self { png, width, height })
    }
}

/// What the console shows of the seal in use (its image is fetched on its own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealInUse {
    pub sha256: String,
    pub width: u32,
    pub height: u32,
    pub uploaded_at: i64,
}

/// The seal a certificate of university `tenant` prints now: its image, or its name in type.
pub(super) async fn seal_for(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
) -> Result<Seal, StorageError> {
    let image = university_seal::Entity::find_by_id(tenant.id)
        .one(db)
        .await
        .map_err(storage("reading the university's seal"))?;
    Ok(match image {
        Some(row) => Seal::Image(Arc::new(row.png)),
        None => Seal::Text(typeset_seal(&tenant.name)),
    })
}

/// A 角印's characters: the name without its spaces, and 之印.
fn typeset_seal(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    format!("{name}之印")
}

/// What the console shows of university `tenant_id`'s seal image, for a member who may read
/// its settings: the image itself is left in the database.
pub async fn seal_in_use(
    db: &crate::platform::Db,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
) -> Result<Option<SealInUse>, SealError> {
    use sea_orm::QuerySelect;
    permissions::require(db, by, Permission::ReadSettings, tenant_id).await?;
    let row: Option<(String, i32, i32, i64)> = university_seal::Entity::find_by_id(tenant_id)
        .select_only()
        .column(university_seal::Column::Sha256)
        .column(university_seal::Column::Width)
        .column(university_seal::Column::Height)
        .column(university_seal::Column::UploadedAt)
        .into_tuple()
        .one(db)
        .await
        .map_err(storage("reading the university's seal"))?;
    Ok(row.map(|(sha256, width, height, uploaded_at)| SealInUse {
        sha256,
        width: u32::try_from(width).unwrap_or_default(),
        height: u32::try_from(height).unwrap_or_default(),
        uploaded_at,
    }))
}

/// The PNG of university `tenant_id`'s seal, for a member who may read its settings.
pub async fn seal_image(
    db: &crate::platform::Db,
    by: (&StaffMember, &Actor),
    tenant_id: i32,
) -> Result<Option<Vec<u8>>, SealError> {
    permissions::require(db, by, Permission::ReadSettings, tenant_id).await?;
    let row = university_seal::Entity::find_by_id(tenant_id)
        .one(db)
        .await
        .map_err(storage("reading the university's seal"))?;
    Ok(row.map(|row| row.png))
}

/// Keeps `png` as the seal of university `tenant_id` (an admin), in place of any before, once
/// it decodes whole as a seal's image; a file refused changes nothing.
pub async fn upload_seal(
    db: &crate::platform::Db,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    png: Vec<u8>,
    now: i64,
) -> Result<(), SealError> {
    // Asked first: a member who may not learns nothing of the file.
    permissions::require(db, (by, actor), Permission::ChangeSettings, tenant_id).await?;
    let image = SealImage::parse(png)?;
    let sha256 = sha256_hex(&image.png);
    let row = university_seal::ActiveModel {
        tenant_id: Set(tenant_id),
        png: Set(image.png),
        sha256: Set(sha256.clone()),
        width: Set(i32::try_from(image.width).unwrap_or(i32::MAX)),
        height: Set(i32::try_from(image.height).unwrap_or(i32::MAX)),
        uploaded_at: Set(now),
        uploaded_by: Set(Some(by.id)),
    };
    let txn = begin(db).await?;
    // One row a university, whoever uploads at the same moment: the later write wins whole.
    university_seal::Entity::insert(row)
        .on_conflict(
            OnConflict::column(university_seal::Column::TenantId)
                .update_columns([
                    university_seal::Column::Png,
                    university_seal::Column::Sha256,
                    university_seal::Column::Width,
                    university_seal::Column::Height,
                    university_seal::Column::UploadedAt,
                    university_seal::Column::UploadedBy,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await
        .map_err(storage("keeping the university's seal"))?;
    let detail = serde_json::json!({
        "change": "uploaded",
        "sha256": sha256,
        "width": image.width,
        "height": image.height,
    });
    audit_change(&txn, (by, actor), tenant_id, &detail).await;
    txn.commit().await.map_err(storage("committing the seal"))?;
    Ok(())
}

/// Removes the seal image of university `tenant_id` (an admin): certificates print the seal
/// in type again. False when there was none.
pub async fn remove_seal(
    db: &crate::platform::Db,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
) -> Result<bool, SealError> {
    permissions::require(db, (by, actor), Permission::ChangeSettings, tenant_id).await?;
    let txn = begin(db).await?;
    let removed = university_seal::Entity::delete_by_id(tenant_id)
        .exec(&txn)
        .await
        .map_err(storage("removing the university's seal"))?
        .rows_affected
        == 1;
    if removed {
        let detail = serde_json::json!({ "change": "removed" });
        audit_change(&txn, (by, actor), tenant_id, &detail).await;
    }
    txn.commit().await.map_err(storage("committing the seal's removal"))?;
    Ok(removed)
}

async fn audit_change(
    txn: &impl ConnectionTrait,
    (by, actor): (&StaffMember, &Actor),
    tenant_id: i32,
    detail: &serde_json::Value,
) {
    let detail = detail.to_string();
    let about = Subject {
        tenant_id: Some(tenant_id),
        staff_id: Some(by.id),
        detail: Some(&detail),
        ..Default::default()
    };
    audit::record(txn, actor, Event::SealChanged, about).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width` × `height` PNG of one grey.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&vec![128; (width * height) as usize]).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_png_of_a_seals_size_is_taken() {
        let image = SealImage::parse(png(200, 180)).unwrap();

        assert_eq!((image.width, image.height), (200, 180));
    }

    #[test]
    fn a_file_that_is_no_png_or_is_cut_short_is_refused() {
        let whole = png(100, 100);
        let cut = whole[..whole.len() - 20].to_vec();

        assert_eq!(
            SealImage::parse(b"GIF89a....".to_vec()),
            Err(SealError::NotPng)
        );
        assert_eq!(SealImage::parse(cut), Err(SealError::NotPng));
    }

    #[test]
    fn sides_too_small_too_large_or_far_from_square_are_refused() {
        assert_eq!(SealImage::parse(png(32, 32)), Err(SealError::BadSize));
        assert_eq!(SealImage::parse(png(2100, 1000)), Err(SealError::BadSize));
        assert_eq!(SealImage::parse(png(400, 100)), Err(SealError::BadSize));
    }

    #[test]
    fn a_file_over_a_megabyte_is_refused_before_it_is_read() {
        let mut large = png(100, 100);
        large.resize(MAX_SEAL_BYTES + 1, 0);

        assert_eq!(SealImage::parse(large), Err(SealError::TooLarge));
    }

    #[test]
    fn the_seal_in_type_is_the_name_without_spaces_and_之印() {
        assert_eq!(typeset_seal("デモ 大学"), "デモ大学之印");
    }
}
