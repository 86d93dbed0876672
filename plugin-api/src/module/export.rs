//! The macros a module author calls: [`export_module!`](crate::export_module) once per library,
//! and [`migrations!`](crate::migrations) to embed SQL files.

/// Exports `$module` (an [`OpenImisModule`](crate::OpenImisModule)) with the manifest built by
/// `$manifest` (an expression of type [`Manifest`](crate::Manifest)).
///
/// ```text
/// openimis_plugin_api::export_module!(MyModule, Manifest::new("my", env!("CARGO_PKG_VERSION")));
/// ```
#[macro_export]
macro_rules! export_module {
    ($module:ty, $manifest:expr) => {
        /// The root module this library exports.
        pub fn openimis_module_root() -> $crate::ModuleRootRef {
            use $crate::abi_stable::prefix_type::PrefixTypeTrait;
            $crate::ModuleRoot {
                manifest: __openimis_manifest,
                init: __openimis_init,
            }
            .leak_into_prefix()
        }

        // What abi_stable's `#[export_root_module]` emits, spelled with `$crate` paths so a
        // module needs no direct abi_stable dependency. The name is checked by a unit test.
        #[export_name = "_1as_0lib_1header_0root_bmodule_bloader"]
        pub static OPENIMIS_MODULE_LIB_HEADER: $crate::abi_stable::library::LibHeader = {
            extern "C" fn erased_root() -> $crate::abi_stable::library::RootModuleResult {
                $crate::abi_stable::library::__call_root_module_loader(openimis_module_root)
            }
            unsafe {
                $crate::abi_stable::library::LibHeader::from_constructor::<$crate::ModuleRootRef>(
                    erased_root,
                    $crate::abi_stable::library::CheckTypeLayout::Yes,
                )
            }
        };

        extern "C" fn __openimis_manifest() -> $crate::abi_stable::std_types::RString {
            $crate::module::guard::guard_or($crate::abi_stable::std_types::RString::new(), || {
                let manifest: $crate::Manifest = $manifest;
                $crate::serde_json::to_string(&manifest)
                    .unwrap_or_default()
                    .into()
            })
        }

        extern "C" fn __openimis_init(
            host: $crate::HostBox,
            config: $crate::abi_stable::std_types::RStr<'_>,
        ) -> $crate::abi_stable::std_types::RResult<$crate::ModuleBox, $crate::ModuleError> {
            $crate::module::adapter::init_module::<$module>(host, config)
        }

        /// The manifest, for the module's own tests.
        #[allow(dead_code)]
        pub fn module_manifest() -> $crate::Manifest {
            $manifest
        }
    };
}

/// Embeds migrations from files under the crate (paths relative to `Cargo.toml`):
///
/// ```text
/// fn migrations(&self) -> Vec<Migration> {
///     openimis_plugin_api::migrations![
///         "0001" => "initial", postgres: "migrations/postgres/0001_initial.sql",
///                              sqlite: "migrations/sqlite/0001_initial.sql";
///     ]
/// }
/// ```
#[macro_export]
macro_rules! migrations {
    ($($version:literal => $name:literal, postgres: $pg:literal, sqlite: $lite:literal);* $(;)?) => {
        vec![$(
            $crate::Migration {
                version: $version.into(),
                name: $name.into(),
                postgres: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $pg)).into(),
                sqlite: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $lite)).into(),
            }
        ),*]
    };
}

/// The symbol [`export_module!`](crate::export_module) exports, spelled out in the macro.
pub const ROOT_SYMBOL: &str = "_1as_0lib_1header_0root_bmodule_bloader";

#[cfg(test)]
mod tests {
    #[test]
    fn the_exported_symbol_is_the_one_abi_stable_looks_up() {
        assert_eq!(
            super::ROOT_SYMBOL,
            abi_stable::library::ROOT_MODULE_LOADER_NAME
        );
    }
}
