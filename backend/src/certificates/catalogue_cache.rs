//! Each university's catalogue kept in memory between requests. The certificate page reads
//! the types, the delivery methods, the GPA rule and the closure days of a university on every
//! view, and they change a few times a year: instead of four queries, one row (the
//! university's stamp) says whether what is kept is still the catalogue. Every change writes a
//! new stamp in its own transaction, whichever process makes it (the console, the operator's
//! `catalogue import`), so a change shows on the next request, never later.
//!
//! Applications are priced from here too, with the stamp they were priced under: the write
//! that accepts one checks that the stamp is still the university's, and an application priced
//! from a catalogue changed meanwhile is priced again (`Applications::apply`).

use super::catalogue::{current_with_ids, Catalogue, CatalogueIds};
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
    /// The first day of the closures kept.
    from: NaiveDate,
    offer: Offer,
}

/// A university's catalogue as kept, with its rows' ids and the stamp it was read under.
#[derive(Clone)]
pub struct Offer {
    pub stamp: i64,
    pub catalogue: Arc<Catalogue>,
    pub ids: Arc<CatalogueIds>,
}

/// The university's stamp now (0 when its catalogue was never changed since stamps began).
pub(super) async fn stamp_of(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> Result<i64, StorageError> {
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
        Ok(self.offer(db, tenant_id, today).await?.catalogue)
    }

    /// The offer kept for today without reading the stamp, for a caller whose write checks
    /// the stamp itself (an application); read as [`CatalogueCache::offer`] reads it when none
    /// is kept. The flag says whether the stamp was read now.
    pub async fn kept_offer(
        &self,
        db: &impl ConnectionTrait,
        tenant_id: i32,
        today: NaiveDate,
    ) -> Result<(Offer, bool), StorageError> {
        {
            let kept = self.kept.lock().expect("the cache's lock");
            if let Some(kept) = kept.get(&tenant_id).filter(|kept| kept.from == today) {
                return Ok((kept.offer.clone(), false));
            }
        }
        Ok((self.offer(db, tenant_id, today).await?, true))
    }

    /// The same, with the ids and the stamp.
    pub async fn offer(
        &self,
        db: &impl ConnectionTrait,
        tenant_id: i32,
        today: NaiveDate,
    ) -> Result<Offer, StorageError> {
        // The stamp is read before the catalogue: a change committed between the two reads
        // leaves a newer stamp, so the next request reads it again.
        let stamp = stamp_of(db, tenant_id).await?;
        {
            let kept = self.kept.lock().expect("the cache's lock");
            if let Some(kept) = kept.get(&tenant_id) {
                if kept.offer.stamp == stamp && kept.from == today {
                    return Ok(kept.offer.clone());
                }
            }
        }
        let (catalogue, ids) = current_with_ids(db, tenant_id, today).await?;
        let offer = Offer {
            stamp,
            catalogue: Arc::new(catalogue),
            ids: Arc::new(ids),
        };
        let entry = Kept {
            from: today,
            offer: offer.clone(),
        };
        self.kept.lock().expect("the cache's lock").insert(tenant_id, entry);
        Ok(offer)
    }
}
