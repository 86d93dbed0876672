//! Links this library so its own root-module symbol is the one exported. It links the
//! `location` crate, whose library exports the same abi_stable symbol; when both crates are
//! built together (a workspace build) cargo unifies `location`'s features, so that symbol is
//! present in `location`'s rlib too. The linker keeps the first definition, and this crate's
//! own objects come first on the link line. Every link of this package (the library and its
//! unit-test binary) needs it.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" || os == "android" || os == "freebsd" {
        println!("cargo:rustc-link-arg=-Wl,--allow-multiple-definition");
    }
}
