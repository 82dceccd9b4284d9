//! A panel's slot for the runs of one analysis, written once for every use-case panel: check
//! the params through the `Analysis` contract (an error goes to the status bar), number the
//! run, run it in a job recorded in the run store (or not, for the automatic sample run), work
//! out what the panel's views show in the same job, collect it, and say its warning once.

use std::sync::Arc;

use anyhow::Result;

use crate::compute::Progress;
use crate::jobs::Slot;
use crate::runs::{InputFingerprint, RunOrigin};
use crate::session::PanelCtx;
use crate::usecases::analysis::Analysis;
use crate::usecases::record::recorded_if;

/// A finished run: the panel's own result `R` (the analysis's output and what its views show,
/// worked out once in the job) with the run's number in the panel and in the run store.
pub(crate) struct Finished<R> {
    /// The panel's count of runs when this one started (keys the views' derived slots).
    pub run: u64,
    /// Its id in the run store, when it was recorded.
    pub run_id: Option<i64>,
    /// Why it was not recorded, or its end not written (said once, when it arrives).
    pub warning: Option<String>,
    pub result: R,
}

impl<R> std::ops::Deref for Finished<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.result
    }
}

/// What a run reads (fingerprinted in the run store) and whether it is recorded at all.
pub(crate) struct RunInputs {
    pub fingerprints: Vec<InputFingerprint>,
    /// False for the automatic first run on the sample, which is not worth a record.
    pub record: bool,
}

impl RunInputs {
    /// Inputs of a run that is recorded (a button press).
    pub fn recorded(fingerprints: Vec<InputFingerprint>) -> Self {
        Self {
            fingerprints,
            record: true,
        }
    }
}

/// The latest run of one analysis in a panel, and the one on its way.
pub(crate) struct RunSlot<R> {
    started: u64,
    slot: Slot<u64, Arc<Finished<R>>>,
    /// The name errors and the job go by: the analysis's, from the contract.
    name: &'static str,
}

impl<R> Default for RunSlot<R> {
    fn default() -> Self {
        Self {
            started: 0,
            slot: Slot::default(),
            name: "",
        }
    }
}

impl<R: Send + Sync + 'static> RunSlot<R> {
    /// Check `params` (`A::check`; an error goes to the status bar and nothing starts), then
    /// start a job that runs `run` on the checked params, recorded as `A` with `inputs`, and
    /// turns the output into the panel's result with `result` (in the job, reporting to its progress;
    /// an error there fails the job).
    /// A run still on its way is cancelled. False when the params were refused.
    pub fn start<A>(
        &mut self,
        ctx: &mut PanelCtx<'_>,
        params: A::Params,
        inputs: RunInputs,
        run: impl FnOnce(&A::Valid, &dyn Progress) -> Result<A::Output> + Send + 'static,
        result: impl FnOnce(A::Output, &dyn Progress) -> Result<R> + Send + 'static,
    ) -> bool
    where
        A: Analysis,
        A::Params: Send + 'static,
        A::Valid: Send + 'static,
    {
        let RunInputs {
            fingerprints,
            record,
        } = inputs;
        self.start_reading::<A, ()>(
            ctx,
            params,
            record,
            move |_| Ok(((), fingerprints)),
            move |valid, (), job| run(valid, job),
            result,
        )
    }

    /// `start` for a run whose inputs are read in the job (files, a folder: reading and
    /// fingerprinting them is not for the UI thread): `read` returns them with their
    /// fingerprints, then the run is recorded and `run` gets them. A failure to read fails the
    /// job before anything is recorded.
    pub fn start_reading<A, I>(
        &mut self,
        ctx: &mut PanelCtx<'_>,
        params: A::Params,
        record: bool,
        read: impl FnOnce(&dyn Progress) -> Result<(I, Vec<InputFingerprint>)> + Send + 'static,
        run: impl FnOnce(&A::Valid, I, &dyn Progress) -> Result<A::Output> + Send + 'static,
        result: impl FnOnce(A::Output, &dyn Progress) -> Result<R> + Send + 'static,
    ) -> bool
    where
        A: Analysis,
        A::Params: Send + 'static,
        A::Valid: Send + 'static,
    {
        self.name = A::NAME;
        let valid = match A::check(&params) {
            Ok(v) => v,
            Err(e) => {
                ctx.notices.error(format!("{}: {e}", A::NAME));
                return false;
            }
        };
        self.started += 1;
        let number = self.started;
        let home = record.then(|| ctx.runs.clone());
        self.slot.request(
            ctx.jobs,
            number,
            format!("{}:run:{number}", A::ID),
            A::NAME.into(),
            move |job| {
                let (inputs, fingerprints) = read(job)?;
                let r = recorded_if(
                    home.as_ref().map(|h| h.as_result()),
                    RunOrigin::App,
                    A::ID,
                    &params,
                    fingerprints,
                    || run(&valid, inputs, job),
                )?;
                Ok(Arc::new(Finished {
                    run: number,
                    run_id: r.run_id,
                    warning: r.warning,
                    result: result(r.output, job)?,
                }))
            },
        );
        true
    }

    /// Collect a finished run: true when a new one arrived (its warning, and a failed run's
    /// error, went to the status bar).
    pub fn poll(&mut self, ctx: &mut PanelCtx<'_>) -> bool {
        let before = self.latest().map(|r| r.run);
        if let Some(e) = self.slot.poll() {
            ctx.notices.error(format!("{}: {e}", self.name));
        }
        let Some(now) = self.slot.latest() else {
            return false;
        };
        if Some(now.run) == before {
            return false;
        }
        if let Some(w) = &now.warning {
            ctx.notices.error(w.clone());
        }
        true
    }

    /// The latest finished run (shown while a newer one computes).
    pub fn latest(&self) -> Option<&Arc<Finished<R>>> {
        self.slot.latest()
    }

    /// Whether a run is on its way.
    pub fn is_pending(&self) -> bool {
        self.slot.is_pending()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::JobRunner;
    use crate::session::{Catalog, Exports, Notices, Picks, RunsHome};
    use crate::usecases::analysis::{DtwMatrix, Hexbin};

    /// The parts a `PanelCtx` borrows.
    struct Parts {
        catalog: Catalog,
        jobs: JobRunner,
        notices: Notices,
        exports: Exports,
        picks: Picks,
        runs: RunsHome,
        requests: Vec<crate::session::Request>,
    }

    impl Parts {
        fn new(runs: RunsHome) -> Self {
            Self {
                catalog: Catalog::default(),
                jobs: JobRunner::new(|| {}),
                notices: Notices::default(),
                exports: Exports::default(),
                picks: Picks::default(),
                runs,
                requests: Vec::new(),
            }
        }

        fn ctx(&mut self) -> PanelCtx<'_> {
            PanelCtx {
                catalog: &mut self.catalog,
                jobs: &self.jobs,
                notices: &mut self.notices,
                exports: &mut self.exports,
                picks: &mut self.picks,
                runs: &self.runs,
                requests: &mut self.requests,
            }
        }
    }

    /// Poll until the run is collected (true) or a minute passes.
    fn collect<R: Send + Sync + 'static>(slot: &mut RunSlot<R>, parts: &mut Parts) -> bool {
        for _ in 0..6000 {
            if slot.poll(&mut parts.ctx()) {
                return true;
            }
            if !slot.is_pending() {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn refused_params_start_nothing_and_say_why_under_the_analysis_name() {
        let mut parts = Parts::new(RunsHome(Err("no store".into())));
        let mut slot: RunSlot<()> = RunSlot::default();
        let bad = crate::usecases::spatial::HexbinParams {
            resolution: 99,
            ..Default::default()
        };
        let started = slot.start::<Hexbin>(
            &mut parts.ctx(),
            bad,
            RunInputs::recorded(Vec::new()),
            |_, _| anyhow::bail!("must not run"),
            |_, _| Ok(()),
        );
        assert!(!started && !slot.is_pending());
        let errors = parts.notices.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(Hexbin::NAME) && errors[0].contains("resolution"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_run_arrives_once_numbered_with_its_warning_said_once() {
        let mut parts = Parts::new(RunsHome(Err("the store is read-only".into())));
        let mut slot: RunSlot<usize> = RunSlot::default();
        // Wide: an id, then one column per time step.
        let table = polars::df!(
            "id" => ["a", "b"],
            "t0" => [1.0, 2.0],
            "t1" => [2.0, 1.0],
            "t2" => [3.0, 0.0],
        )
        .unwrap();
        let data = Arc::new(crate::data::from_frame("pairs", table).unwrap());
        let params = crate::usecases::dtw::MatrixParams::default();
        for round in 1..=2 {
            let data = Arc::clone(&data);
            assert!(slot.start::<DtwMatrix>(
                &mut parts.ctx(),
                params.clone(),
                RunInputs::recorded(vec![crate::runs::of_dataset("series", &data)]),
                move |valid, job| DtwMatrix::run(valid, &data, job),
                |out, _| Ok(out.ids.len()),
            ));
            assert!(collect(&mut slot, &mut parts), "round {round}");
            let r = slot.latest().expect("a finished run");
            assert_eq!((r.run, r.run_id, r.result), (round, None, 2));
            assert!(!slot.poll(&mut parts.ctx()), "collected once");
        }
        // The same warning for both runs: the status bar keeps it once.
        let errors = parts.notices.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("read-only"), "{errors:?}");
    }

    #[test]
    fn a_failed_run_is_an_error_under_its_name_and_keeps_the_last_result() {
        let mut parts = Parts::new(RunsHome(Err("no store".into())));
        let mut slot: RunSlot<usize> = RunSlot::default();
        let table =
            polars::df!("id" => ["a", "b"], "t0" => [1.0, 2.0], "t1" => [2.0, 1.0]).unwrap();
        let data = Arc::new(crate::data::from_frame("pairs", table).unwrap());
        for fail in [false, true] {
            let data = Arc::clone(&data);
            slot.start::<DtwMatrix>(
                &mut parts.ctx(),
                Default::default(),
                RunInputs {
                    fingerprints: Vec::new(),
                    record: false,
                },
                move |valid, job| {
                    anyhow::ensure!(!fail, "the table has no series");
                    DtwMatrix::run(valid, &data, job)
                },
                |out, _| Ok(out.ids.len()),
            );
            assert_eq!(collect(&mut slot, &mut parts), !fail);
        }
        // Not recorded: no warning; the failure said once, under the analysis's name.
        let errors = parts.notices.errors();
        assert!(
            errors.len() == 1
                && errors[0].starts_with(DtwMatrix::NAME)
                && errors[0].contains("no series"),
            "{errors:?}"
        );
        let last = slot.latest().expect("the first run is still shown");
        assert_eq!((last.run, last.result), (1, 2));
    }
}
