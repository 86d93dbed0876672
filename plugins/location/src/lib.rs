//! The `location` library: exports the location module's root (its code is the
//! `openimis-location-module` crate, which `location-dhis2` wraps without exporting it twice).

openimis_sdk::export_module!(
    location_module::Location,
    location_module::manifest::manifest()
);
