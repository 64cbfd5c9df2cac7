//! A device's objects as a shared default table plus the device's own differences.
//!
//! Every meter of one configuration starts from the same few hundred objects (over half a
//! megabyte of default values, logs and tables); holding a copy per device would put ten
//! thousand simulated meters at gigabytes. So the defaults live once, behind an `Arc`, and a
//! device keeps only the objects that differ: those its identity changes at commissioning
//! and those it has written since (copied on first write).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::objects::{Object, ObjectKey, ObjectTable};

#[derive(Debug, Clone)]
pub struct ObjectStore {
    base: Arc<ObjectTable>,
    own: BTreeMap<ObjectKey, Object>,
}

impl ObjectStore {
    /// A store holding all of `table` itself (no sharing).
    pub fn owned(table: ObjectTable) -> Self {
        ObjectStore {
            base: Arc::new(BTreeMap::new()),
            own: table,
        }
    }

    /// `table` stored as its differences from `base`.
    pub fn over(base: Arc<ObjectTable>, table: ObjectTable) -> Self {
        let own = table
            .into_iter()
            .filter(|(k, o)| base.get(k) != Some(o))
            .collect();
        ObjectStore { base, own }
    }

    pub fn get(&self, key: &ObjectKey) -> Option<&Object> {
        self.own.get(key).or_else(|| self.base.get(key))
    }

    /// The device's own copy of an object, made on first write.
    pub fn get_mut(&mut self, key: &ObjectKey) -> Option<&mut Object> {
        if !self.own.contains_key(key) {
            let copy = self.base.get(key)?.clone();
            self.own.insert(*key, copy);
        }
        self.own.get_mut(key)
    }

    pub fn contains_key(&self, key: &ObjectKey) -> bool {
        self.own.contains_key(key) || self.base.contains_key(key)
    }

    /// Every object key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &ObjectKey> + '_ {
        let mut keys: Vec<&ObjectKey> = self.base.keys().chain(self.own.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
    }

    /// Objects this device holds apart from the shared defaults.
    #[cfg(test)]
    pub fn own_len(&self) -> usize {
        self.own.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::dlms::{Data, ObisCode};
    use crate::sim::esme::objects::Attribute;

    fn object(value: u32) -> Object {
        let mut attrs = BTreeMap::new();
        attrs.insert(
            2,
            Attribute {
                value: Data::DoubleLongUnsigned(value),
                templates: vec![Data::DoubleLongUnsigned(0)],
            },
        );
        Object {
            class: 1,
            obis: ObisCode([0, 0, 1, 0, 0, 255]),
            attrs,
            log: None,
        }
    }

    #[test]
    fn shares_defaults_and_copies_on_write() {
        let key: ObjectKey = (1, ObisCode([0, 0, 1, 0, 0, 255]));
        let other: ObjectKey = (1, ObisCode([0, 0, 2, 0, 0, 255]));
        let base: ObjectTable = [(key, object(1)), (other, object(5))].into_iter().collect();
        let base = Arc::new(base);
        let mut mine: ObjectTable = (*base).clone();
        mine.insert(other, object(6)); // this device differs here
        let mut store = ObjectStore::over(base.clone(), mine);
        assert_eq!(store.own_len(), 1);
        assert_eq!(store.get(&key), Some(&object(1)));
        assert_eq!(store.get(&other), Some(&object(6)));
        store
            .get_mut(&key)
            .unwrap()
            .attrs
            .get_mut(&2)
            .unwrap()
            .value = Data::DoubleLongUnsigned(2);
        assert_eq!(store.own_len(), 2);
        assert_eq!(
            base.get(&key),
            Some(&object(1)),
            "the shared default is untouched"
        );
        assert_eq!(store.keys().count(), 2);
    }
}
