//! One TLS stack for the app's two network users, the map's tiles and MLflow: rustls with ring
//! as its crypto (no second stack, no CMake build). Installed once, before either makes a client.

/// Makes ring the process's rustls crypto provider. Safe to call from any thread, any number of
/// times; a provider installed earlier is left in place.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err only means a provider is installed already, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
