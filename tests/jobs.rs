//! The job runner: results, progress, cooperative cancel within ~200 ms, panics and errors
//! isolated to their job, no duplicate jobs, and a repaint when a job ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use playbook::compute::Progress;
use playbook::jobs::{JobError, JobRunner, Slot};

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn returns_the_result_and_repaints() {
    let repaints = Arc::new(AtomicUsize::new(0));
    let r = repaints.clone();
    let jobs = JobRunner::new(move || {
        r.fetch_add(1, Ordering::SeqCst);
    });
    let h = jobs.spawn("k", "add", |_| Ok(2 + 2)).unwrap();
    assert_eq!(h.wait(), Ok(4));
    wait_until("repaint", || repaints.load(Ordering::SeqCst) == 1);
    assert!(jobs.active().is_empty());
}

#[test]
fn reports_progress() {
    let jobs = JobRunner::default();
    let go = Arc::new(AtomicBool::new(false));
    let g = go.clone();
    let h = jobs
        .spawn("p", "progress", move |ctx| {
            ctx.report(0.5, "halfway");
            while !g.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(())
        })
        .unwrap();
    wait_until("progress", || {
        jobs.active()
            .first()
            .is_some_and(|s| s.fraction == 0.5 && s.message == "halfway")
    });
    assert_eq!(jobs.active()[0].name, "progress");
    go.store(true, Ordering::SeqCst);
    assert_eq!(h.wait(), Ok(()));
}

#[test]
fn cancel_stops_a_cooperative_job_within_200ms() {
    let jobs = JobRunner::default();
    let stopped = Arc::new(AtomicBool::new(false));
    let s = stopped.clone();
    let mut h = jobs
        .spawn("c", "long", move |ctx| {
            let result = (|| {
                for _ in 0..1_000_000 {
                    ctx.check()?;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Ok(())
            })();
            s.store(true, Ordering::SeqCst);
            result
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(30));
    let id = jobs.active()[0].id;
    let t = Instant::now();
    jobs.cancel(id);
    assert_eq!(
        h.poll(),
        Some(Err(JobError::Cancelled)),
        "handle sees the cancel at once"
    );
    assert!(jobs.active().is_empty(), "status bar drops it at once");
    wait_until("the worker to stop", || stopped.load(Ordering::SeqCst));
    // Generous bound for a loaded 2-core machine; the loop checks every millisecond.
    assert!(
        t.elapsed() < Duration::from_millis(200),
        "took {:?}",
        t.elapsed()
    );
}

#[test]
fn a_panic_fails_only_its_job() {
    let jobs = JobRunner::default();
    let h = jobs
        .spawn("boom", "explode", |_| -> anyhow::Result<()> {
            panic!("boom at row 7")
        })
        .unwrap();
    assert_eq!(h.wait(), Err(JobError::Panicked("boom at row 7".into())));
    wait_until("the job to leave the list", || jobs.active().is_empty());
    let h = jobs.spawn("boom", "again", |_| Ok("fine")).unwrap();
    assert_eq!(h.wait(), Ok("fine"));
}

#[test]
fn an_error_fails_the_job_with_its_message() {
    let jobs = JobRunner::default();
    let h = jobs
        .spawn("e", "fail", |_| -> anyhow::Result<()> {
            Err(playbook::data::load_path("/no/such.csv".as_ref())
                .err()
                .unwrap()
                .into())
        })
        .unwrap();
    assert_eq!(
        h.wait(),
        Err(JobError::Failed("/no/such.csv: no such file".into()))
    );
}

#[test]
fn the_same_job_is_not_started_twice() {
    let jobs = JobRunner::default();
    let go = Arc::new(AtomicBool::new(false));
    let g = go.clone();
    let first = jobs
        .spawn("load:/data/x.csv", "Load x.csv", move |_| {
            while !g.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(1)
        })
        .unwrap();
    let second = jobs.spawn("load:/data/x.csv", "Load x.csv", |_| Ok(2));
    assert!(matches!(second, Err(JobError::AlreadyRunning(_))));
    assert!(
        jobs.spawn("load:/data/y.csv", "Load y.csv", |_| Ok(3))
            .is_ok()
    );
    go.store(true, Ordering::SeqCst);
    assert_eq!(first.wait(), Ok(1));
    // Once it has ended (its result is delivered first, then it leaves the list), the same
    // key may run again.
    wait_until("the job to leave the list", || {
        !jobs.is_running("load:/data/x.csv")
    });
    assert_eq!(
        jobs.spawn("load:/data/x.csv", "again", |_| Ok(4))
            .unwrap()
            .wait(),
        Ok(4)
    );
}

#[test]
fn slot_computes_once_per_key_and_remembers_failures() {
    let jobs = JobRunner::default();
    let runs = Arc::new(AtomicUsize::new(0));
    let mut slot: Slot<u32, u32> = Slot::default();
    for key in [1, 1, 2, 2, 2] {
        let r = runs.clone();
        slot.request(
            &jobs,
            key,
            format!("sq:{key}"),
            "square".into(),
            move |_| {
                r.fetch_add(1, Ordering::SeqCst);
                Ok(key * key)
            },
        );
        wait_until("slot result", || {
            slot.poll();
            slot.get(&key).is_some()
        });
    }
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    assert_eq!(slot.get(&2), Some(&4));
    assert_eq!(slot.get(&1), None);
    for _ in 0..3 {
        slot.request(&jobs, 9, "bad".into(), "bad".into(), |_| {
            anyhow::bail!("no such column")
        });
        wait_until("failure", || !slot.is_pending() || slot.poll().is_some());
    }
    assert_eq!(slot.latest(), Some(&4), "the last good value stays");
}

#[test]
fn a_name_with_a_nul_byte_does_not_stop_the_job() {
    // A path from a corrupt settings file ends up in a job's name.
    let jobs = JobRunner::default();
    let h = jobs.spawn("nul", "load a\0b.csv", |_| Ok(7)).unwrap();
    assert_eq!(h.wait(), Ok(7));
}

#[test]
fn a_streaming_job_delivers_every_item_in_order_with_backpressure() {
    let repaints = Arc::new(AtomicUsize::new(0));
    let r = repaints.clone();
    let jobs = JobRunner::new(move || {
        r.fetch_add(1, Ordering::Relaxed);
    });
    // A channel of 4 and 100 items: the job waits for the reader instead of queueing them.
    let mut stream = jobs
        .spawn_stream("s", "stream", 4, |_ctx, tx| {
            for i in 0..100 {
                tx.send(i)?;
            }
            Ok(())
        })
        .unwrap();
    let mut got = Vec::new();
    let mut ended = None;
    wait_until("the stream ends", || {
        got.extend(stream.drain(3));
        if ended.is_none() {
            ended = stream.poll();
        }
        ended.is_some() && got.len() == 100
    });
    assert_eq!(got, (0..100).collect::<Vec<_>>());
    assert_eq!(ended, Some(Ok(())));
    assert!(
        repaints.load(Ordering::Relaxed) >= 100,
        "each item wakes the UI"
    );
}

#[test]
fn cancelling_a_stream_stops_a_job_blocked_on_a_full_channel() {
    let jobs = JobRunner::default();
    let mut stream = jobs
        .spawn_stream("s", "stream", 1, |_ctx, tx| {
            loop {
                tx.send(1u8)?;
            }
        })
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    stream.cancel();
    assert_eq!(stream.poll(), Some(Err(JobError::Cancelled)));
    wait_until("the job thread leaves", || jobs.active().is_empty());
}

/// A job that says it waits shows as waiting (no clock, no timer in the app); its next report
/// makes it busy again; a job that never reports is busy.
#[test]
fn a_job_says_when_it_waits() {
    let jobs = JobRunner::default();
    let step = Arc::new(AtomicUsize::new(0));
    let s = step.clone();
    let h = jobs
        .spawn("w", "watch", move |ctx| {
            ctx.waiting("3 files read");
            while s.load(Ordering::SeqCst) == 0 {
                std::thread::sleep(Duration::from_millis(5));
            }
            ctx.report(0.5, "reading a file");
            while s.load(Ordering::SeqCst) == 1 {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok(())
        })
        .unwrap();
    let status = |jobs: &JobRunner| jobs.active().into_iter().next().unwrap();
    wait_until("waiting", || status(&jobs).waiting);
    assert_eq!(status(&jobs).message, "3 files read");
    step.store(1, Ordering::SeqCst);
    wait_until("busy again", || !status(&jobs).waiting);
    assert_eq!(status(&jobs).message, "reading a file");
    step.store(2, Ordering::SeqCst);
    assert_eq!(h.wait(), Ok(()));
    let quiet = jobs
        .spawn("q", "sort", |_| {
            std::thread::sleep(Duration::from_millis(200));
            Ok(())
        })
        .unwrap();
    assert!(!status(&jobs).waiting, "a job that never reports is busy");
    assert_eq!(quiet.wait(), Ok(()));
}
