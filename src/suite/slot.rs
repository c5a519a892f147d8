//! The run in progress of a suite, for cucumber worlds: cucumber builds each world without
//! arguments, so a world finds its run's context in a process-wide slot, and runs of the same
//! suite in one process take turns.

use std::sync::{Arc, Mutex};

/// A suite's process-wide slot: the context of the run in progress, and the turn of runs.
#[derive(Debug)]
pub(crate) struct RunSlot<C> {
    current: Mutex<Option<Arc<C>>>,
    turn: tokio::sync::Mutex<()>,
}

impl<C> RunSlot<C> {
    /// An empty slot (for a `static`).
    pub(crate) const fn new() -> Self {
        Self {
            current: Mutex::new(None),
            turn: tokio::sync::Mutex::const_new(()),
        }
    }

    /// Waits until no other run of this suite is in progress; the run holds the guard.
    pub(crate) async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.turn.lock().await
    }

    /// Makes `context` the run in progress (`None` when the run ends).
    pub(crate) fn set(&self, context: Option<Arc<C>>) {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = context;
    }

    /// The context of the run in progress.
    pub(crate) fn get(&self) -> Option<Arc<C>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_holds_the_context_of_the_run_in_progress() {
        static SLOT: RunSlot<u32> = RunSlot::new();
        assert_eq!(SLOT.get(), None);
        let _turn = SLOT.turn().await;
        SLOT.set(Some(Arc::new(7)));
        assert_eq!(SLOT.get().as_deref(), Some(&7));
        // A second run waits for the first one's turn to end.
        assert!(SLOT.turn.try_lock().is_err());
        SLOT.set(None);
        assert_eq!(SLOT.get(), None);
    }
}
