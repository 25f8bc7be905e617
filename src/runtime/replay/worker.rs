//! Helper threads that own a value: the value is handed to the thread once
//! it runs, and comes back to the caller if no thread can be started, so
//! the caller can do the work itself instead.

use std::sync::mpsc::sync_channel;
use std::thread::JoinHandle;

/// Starts a thread named `name` that runs `body(value)`. `Err(value)` when
/// the thread cannot be started. The thread's result is `None` only if the
/// value never reached it.
pub(crate) fn spawn_owning<T, R>(
    name: &str,
    value: T,
    body: impl FnOnce(T) -> R + Send + 'static,
) -> Result<JoinHandle<Option<R>>, T>
where
    T: Send + 'static,
    R: Send + 'static,
{
    let (slot, slot_rx) = sync_channel::<T>(1);
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || slot_rx.recv().ok().map(body));
    match spawned {
        Ok(worker) => match slot.send(value) {
            Ok(()) => Ok(worker),
            Err(back) => Err(back.0),
        },
        Err(_) => Err(value),
    }
}
