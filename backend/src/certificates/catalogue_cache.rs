//! Each university's catalogue kept in memory between requests. The certificate page reads
//! the types, the delivery methods, the GPA rule and the closure days of a university on every
//! view, and they change a few times a year: instead of four queries, one row (the
//! university's stamp) says whether what is kept is still the catalogue. Every change writes a
//! new stamp in its own transaction, whichever process makes it (the console, the operator's
//! `catalogue import`), so a change shows on the next request, never later.
//!
//! Only what a page shows is read from here. The price an application is charged is read from
//! the database in the application's own checks (`quote`), as it always was.

use super::catalogue::{current, Catalogue};
use crate::entities::catalogue_stamp;
use crate::platform::{storage, StorageError};
use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct CatalogueCache {
    kept: Arc<Mutex<HashMap<i32, Kept>>>,
}

struct Kept {
    stamp: i64,
    /// The first day of the closures kept.
    from: NaiveDate,
    catalogue: Arc<Catalogue>,
}

/// The university's stamp now (0 when its catalogue was never changed since stamps began).
async fn stamp_of(db: &impl ConnectionTrait, tenant_id: i32) -> Result<i64, StorageError> {
    Ok(catalogue_stamp::Entity::find_by_id(tenant_id)
        .one(db)
        .await
        .map_err(storage("reading a catalogue's stamp"))?
        .map_or(0, |row| row.stamp))
}

/// Marks university `tenant_id`'s catalogue changed, in the transaction that changes it.
pub(super) async fn stamp_changed(
    txn: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<(), StorageError> {
    // Random rather than counted: two changes at once each write a stamp no server has kept.
    let row = catalogue_stamp::ActiveModel {
        tenant_id: Set(tenant_id),
        stamp: Set(rand::random::<i64>()),
    };
    catalogue_stamp::Entity::insert(row)
        .on_conflict(
            OnConflict::column(catalogue_stamp::Column::TenantId)
                .update_column(catalogue_stamp::Column::Stamp)
                .to_owned(),
        )
        .exec(txn)
        .await
        .map_err(storage("stamping a changed catalogue"))?;
    Ok(())
}

impl CatalogueCache {
    /// University `tenant_id`'s catalogue as `current` reads it from `today`: kept, while its
    /// stamp and the day are the same.
    pub async fn current(
        &self,
        db: &impl ConnectionTrait,
        tenant_id: i32,
        today: NaiveDate,
    ) -> Result<Arc<Catalogue>, StorageError> {
        // The stamp is read before the catalogue: a change committed between the two reads
        // leaves a newer stamp, so the next request reads it again.
        let stamp = stamp_of(db, tenant_id).await?;
        {
            let kept = self.kept.lock().expect("the cache's lock");
            if let Some(kept) = kept.get(&tenant_id) {
                if kept.stamp == stamp && kept.from == today {
                    return Ok(kept.catalogue.clone());
                }
            }
        }
        let catalogue = Arc::new(current(db, tenant_id, today).await?);
        let entry = Kept {
            stamp,
            from: today,
            catalogue: catalogue.clone(),
        };
        self.kept.lock().expect("the cache's lock").insert(tenant_id, entry);
        Ok(catalogue)
    }
}
