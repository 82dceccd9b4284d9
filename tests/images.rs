//! The image classifier (issue 16): the bundled digits reach 97% validation accuracy, a
//! cancelled run keeps its best model on disk, a corrupt image is skipped and listed, and a
//! file that is not a model is a clear error.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use playbook::compute::Progress;
use playbook::compute::images::ImageModel;
use playbook::compute::images::train::Stop;
use playbook::data::images;
use playbook::usecases::images::{self as usecase, ImagesParams};

use crate::{playbook, sample};

fn digits() -> PathBuf {
    sample("digits")
}

/// Two digit classes (0 and 1) copied into a temp folder.
fn two_digits(dir: &Path) {
    for class in ["0", "1"] {
        let to = dir.join(class);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(digits().join(class)).unwrap().take(40) {
            let from = entry.unwrap().path();
            std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn digits_reach_97_percent_and_predict_their_own_class() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("digits.model");
    let o = playbook(&[
        "images",
        "train",
        "--dir",
        digits().to_str().unwrap(),
        "--size",
        "16",
        "--batch",
        "32",
        "--epochs",
        "15",
        "--json",
        "--model-out",
        model.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let accuracy = v["val_accuracy"].as_f64().unwrap();
    assert!(accuracy >= 0.97, "validation accuracy {accuracy}");
    assert_eq!(v["images"], 1797);
    assert_eq!(v["recall"].as_object().unwrap().len(), 10);
    assert!(v["best_epoch"].as_u64().unwrap() >= 1);
    assert!(v["epochs_run"].as_u64().unwrap() >= v["best_epoch"].as_u64().unwrap());

    // One image of each digit: the model's top class is its folder for nearly all.
    let files: Vec<PathBuf> = (0..10)
        .map(|d| {
            let mut f: Vec<PathBuf> = std::fs::read_dir(digits().join(d.to_string()))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            f.sort();
            f.pop().unwrap()
        })
        .collect();
    let mut args = vec![
        "images",
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--json",
    ];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = playbook(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let predictions: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut right = 0;
    for (d, p) in predictions.as_array().unwrap().iter().enumerate() {
        let top = p["top"].as_array().unwrap();
        assert_eq!(top.len(), 3);
        let probs: Vec<f64> = top
            .iter()
            .map(|t| t["probability"].as_f64().unwrap())
            .collect();
        assert!(probs.windows(2).all(|w| w[0] >= w[1]) && probs.iter().sum::<f64>() <= 1.0 + 1e-6);
        right += usize::from(top[0]["class"] == d.to_string().as_str());
    }
    assert!(right >= 9, "{predictions}");
}

/// Cancels once `after` batches have been reported.
struct CancelAfter {
    after: usize,
    seen: AtomicUsize,
}

impl Progress for CancelAfter {
    fn report(&self, _fraction: f32, _message: &str) {
        self.seen.fetch_add(1, Ordering::SeqCst);
    }
    fn cancelled(&self) -> bool {
        self.seen.load(Ordering::SeqCst) >= self.after
    }
}

#[test]
fn a_cancelled_run_keeps_its_best_model_on_disk() {
    let data = tempfile::tempdir().unwrap();
    two_digits(data.path());
    let valid = usecase::check(&ImagesParams {
        size: 8,
        epochs: 50,
        batch: 16,
        ..Default::default()
    })
    .unwrap();
    let checkpoint = data.path().join("best.model");
    // 64 training images in batches of 16: 4 batches an epoch; cancel in the third epoch.
    let progress = CancelAfter {
        after: 10,
        seen: AtomicUsize::new(0),
    };
    let mut epochs = Vec::new();
    let out = usecase::run(
        &valid,
        data.path(),
        Some(&checkpoint),
        &progress,
        &mut |e| epochs.push(e.epoch),
    )
    .unwrap();
    assert_eq!(out.trained.stop, Stop::Cancelled);
    assert_eq!(epochs, vec![1, 2]);
    let kept = ImageModel::load(&checkpoint).unwrap();
    assert_eq!(kept.classes, vec!["0", "1"]);
    let file = std::fs::read_dir(data.path().join("1"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (predictions, skipped) = usecase::predict(&kept, &[file], 2).unwrap();
    assert!(skipped.is_empty());
    assert_eq!(predictions[0].top.len(), 2);
}

#[test]
fn the_same_seed_gives_the_same_model() {
    let data = tempfile::tempdir().unwrap();
    two_digits(data.path());
    let train = |seed: u64, name: &str| {
        let valid = usecase::check(&ImagesParams {
            size: 8,
            epochs: 2,
            seed,
            ..Default::default()
        })
        .unwrap();
        let path = data.path().join(name);
        usecase::run(
            &valid,
            data.path(),
            Some(&path),
            &playbook::compute::NoProgress,
            &mut |_| {},
        )
        .unwrap();
        std::fs::read(path).unwrap()
    };
    let a = train(7, "a.model");
    assert_eq!(a, train(7, "b.model"));
    assert_ne!(a, train(8, "c.model"));
}

#[test]
fn a_corrupt_image_is_skipped_and_listed() {
    let data = tempfile::tempdir().unwrap();
    two_digits(data.path());
    std::fs::write(
        data.path().join("1/broken.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    let model = data.path().join("m.model");
    let o = playbook(&[
        "--no-record",
        "images",
        "train",
        "--dir",
        data.path().to_str().unwrap(),
        "--size",
        "8",
        "--epochs",
        "2",
        "--json",
        "--model-out",
        model.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["images"], 80);
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0]["file"].as_str().unwrap().ends_with("broken.png"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("skipped"));
}

#[test]
fn a_file_that_is_not_a_model_is_a_clear_error() {
    let image = digits()
        .join("3")
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (_d, csv) = crate::temp_file("model.bin", b"a,b\n1,2\n");
    let o = playbook(&[
        "images",
        "predict",
        "--model",
        csv.to_str().unwrap(),
        image.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("model.bin: not a Playbook image model"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    // A real model cut short.
    let data = tempfile::tempdir().unwrap();
    two_digits(data.path());
    let model = data.path().join("m.model");
    let valid = usecase::check(&ImagesParams {
        size: 8,
        epochs: 1,
        ..Default::default()
    })
    .unwrap();
    usecase::run(
        &valid,
        data.path(),
        Some(&model),
        &playbook::compute::NoProgress,
        &mut |_| {},
    )
    .unwrap();
    let bytes = std::fs::read(&model).unwrap();
    // A crafted header: 200,000,000 blocks, refused before anything is sized from it.
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.splitn(3, '\n');
    let (magic, header) = (lines.next().unwrap(), lines.next().unwrap());
    let mut h: serde_json::Value = serde_json::from_str(header).unwrap();
    h["settings"]["arch"]["blocks"] = serde_json::json!(200_000_000u64);
    let crafted = data.path().join("crafted.model");
    std::fs::write(&crafted, format!("{magic}\n{h}\n").as_bytes()).unwrap();
    let e = ImageModel::load(&crafted).err().unwrap().to_string();
    assert!(e.contains("conv blocks 200000000 is outside 1 to 8"), "{e}");
    std::fs::write(&model, &bytes[..bytes.len() - 100]).unwrap();
    let e = ImageModel::load(&model).err().unwrap().to_string();
    assert!(
        e.contains("damaged model") && e.contains("bytes of weights"),
        "{e}"
    );
    // A folder with one class is refused with what it needs.
    let e = images::scan(&data.path().join("0"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("at least two"), "{e}");
}
