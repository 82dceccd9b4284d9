//! One guard around the third-party decoders (polars' CSV and Parquet readers): on some corrupt
//! files they panic deep inside, sometimes on one of polars' worker threads. The guard turns
//! such a panic into the loader's error for that file, and keeps the panic's message off
//! stderr, so the user sees one line naming the file. Panics anywhere else print as usual.

use std::cell::Cell;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::error::{DataError, DataResult};

/// Guarded reads in progress, on any thread.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

thread_local! {
    /// Whether this thread is inside a guarded read.
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `read`; a panic inside it (or inside polars' worker threads meanwhile) becomes
/// `on_panic(message)`.
pub(super) fn guarded<T>(
    read: impl FnOnce() -> DataResult<T>,
    on_panic: impl FnOnce(String) -> DataError,
) -> DataResult<T> {
    HOOK.call_once(install_hook);
    let was_inside = INSIDE.with(|c| c.replace(true));
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    INSIDE.with(|c| c.set(was_inside));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(on_panic(message))
    })
}

/// Silences the panics the guard catches; every other panic goes to the hook before it.
fn install_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let here = INSIDE.with(|c| c.get());
        let in_polars = ACTIVE.load(Ordering::SeqCst) > 0
            && std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with("polars"));
        if !(here || in_polars) {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_becomes_the_error_and_a_result_passes_through() {
        let e = guarded::<()>(|| panic!("deep inside"), DataError::Other).unwrap_err();
        assert_eq!(e.to_string(), "deep inside");
        let ok = guarded(|| Ok(7), DataError::Other).unwrap();
        assert_eq!(ok, 7);
        let inner = guarded(
            || guarded::<()>(|| panic!("nested"), DataError::Other),
            |_| DataError::Other("outer".to_owned()),
        );
        assert_eq!(inner.unwrap_err().to_string(), "nested");
        assert!(!INSIDE.with(|c| c.get()));
    }
}
