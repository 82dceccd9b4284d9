//! The open datasets: which are loaded, which is selected, which are still loading. Loading is
//! always a job; a file that is opened again replaces its older copy.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use std::collections::BTreeMap;

use crate::data::peek::{self, Peek};
use crate::data::recipe::{self, Recipe, Step};
use crate::data::{self, Dataset, Origin};
use crate::jobs::{JobError, JobHandle, JobRunner};

pub type DatasetId = u64;

pub struct Entry {
    pub id: DatasetId,
    pub data: Arc<Dataset>,
    /// The changes made to it (column types, computed columns), made again on reload.
    pub recipe: Recipe,
}

/// Where a dataset's recipe is remembered: its file's path, or `sample:NAME`, or `made:NAME`
/// for a dataset made in the app.
pub(crate) fn recipe_key(ds: &Dataset) -> String {
    match &ds.origin {
        Origin::File(p) => p.display().to_string(),
        Origin::Sample => format!("sample:{}", ds.name),
        Origin::Made => format!("made:{}", ds.name),
    }
}

/// Make the remembered recipe of each dataset (in a load job).
fn with_recipes(sets: Vec<Dataset>, recipes: &BTreeMap<String, Recipe>) -> Vec<(Dataset, Recipe)> {
    sets.into_iter()
        .map(|mut ds| match recipes.get(&recipe_key(&ds)) {
            Some(r) if !r.is_empty() => {
                let frame = std::mem::take(&mut ds.frame);
                let (frame, notes) = recipe::apply(&ds.name, frame, r);
                ds.frame = frame;
                ds.notes.extend(notes);
                (ds, r.clone())
            }
            _ => (ds, Recipe::default()),
        })
        .collect()
}

/// A large file's first rows, shown while the whole file loads. Never computed on: panels
/// only see loaded entries.
pub struct Preview {
    pub path: PathBuf,
    pub peek: Arc<Peek>,
    /// The full load's progress, 0 to 1, and its message.
    pub progress: (f32, String),
}

/// A load under way.
struct Load {
    handle: JobHandle<Vec<(Dataset, Recipe)>>,
    /// Select what it brings (a file the user just opened).
    select: bool,
    /// The file, for a load of one file (its preview goes when it ends).
    path: Option<PathBuf>,
    /// Its first rows, once the job has read them.
    peek: Option<Arc<Mutex<Option<Peek>>>>,
    preview: Option<Preview>,
}

#[derive(Default)]
pub struct Catalog {
    entries: Vec<Entry>,
    selected: Option<DatasetId>,
    next_id: DatasetId,
    /// Loads under way.
    loads: Vec<Load>,
    /// Name to select when it arrives (restored from settings).
    want: Option<String>,
    /// Files opened by the user that have loaded, not yet taken by `take_opened`.
    opened: Vec<PathBuf>,
    /// Readers' notes on loaded files, not yet taken by `take_notes`.
    notes: Vec<String>,
    /// Each dataset's changes, by `recipe_key` (saved with the settings).
    recipes: BTreeMap<String, Recipe>,
    /// Changes being made: the entry, and the job making the new table.
    changes: Vec<(DatasetId, JobHandle<(Dataset, Recipe)>)>,
}

impl Catalog {
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: DatasetId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The open datasets' names, in catalog order (for a dataset picker).
    pub fn names(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.data.name.clone()).collect()
    }

    /// The open dataset called `name` (the first, if several share it).
    pub fn by_name(&self, name: &str) -> Option<Arc<Dataset>> {
        self.entries
            .iter()
            .find(|e| e.data.name == name)
            .map(|e| e.data.clone())
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.selected.and_then(|id| self.get(id))
    }

    pub(crate) fn select(&mut self, id: DatasetId) {
        if self.get(id).is_some() {
            self.selected = Some(id);
        }
    }

    /// Select the dataset called `name` now or as soon as it is loaded.
    pub(crate) fn select_by_name(&mut self, name: &str) {
        match self.entries.iter().find(|e| e.data.name == name) {
            Some(e) => self.selected = Some(e.id),
            None => self.want = Some(name.to_owned()),
        }
    }

    pub fn is_loading(&self) -> bool {
        !self.loads.is_empty()
    }

    /// The first rows of the file the user opened last, while it loads.
    pub fn preview(&self) -> Option<&Preview> {
        self.loads
            .iter()
            .rev()
            .filter(|l| l.select)
            .find_map(|l| l.preview.as_ref())
    }

    /// What is loading: each file's name and its progress (0 to 1).
    pub(crate) fn loading(&self) -> Vec<(String, f32)> {
        self.loads
            .iter()
            .map(|l| {
                let name = l
                    .path
                    .as_deref()
                    .map_or_else(|| l.handle.name().to_owned(), data::file_name);
                (name, l.handle.progress().0)
            })
            .collect()
    }

    /// Add a dataset (replacing one loaded from the same file) and return its id.
    pub fn add(&mut self, ds: Dataset) -> DatasetId {
        self.add_with(ds, Recipe::default())
    }

    /// Add a dataset with the changes already made to it.
    fn add_with(&mut self, ds: Dataset, recipe: Recipe) -> DatasetId {
        let same = |e: &Entry| match &ds.origin {
            Origin::File(p) => e.data.path() == Some(p),
            // A sample comes again only when reset: it replaces itself.
            Origin::Sample => e.data.origin == Origin::Sample && e.data.name == ds.name,
            Origin::Made => false,
        };
        if let Some(at) = self.entries.iter().position(same) {
            let old = self.entries[at].id;
            return self.replace(old, ds, recipe).unwrap_or(old);
        }
        let mut ds = ds;
        ds.name = self.distinct_name(&ds);
        self.next_id += 1;
        let id = self.next_id;
        self.entries.push(Entry {
            id,
            data: Arc::new(ds),
            recipe,
        });
        id
    }

    /// Put `ds` in the place of entry `id` under a new id (so results computed on the old
    /// table are not shown for the new one); it keeps its name and, if it had it, the
    /// selection. `None` if the entry was closed meanwhile.
    fn replace(&mut self, id: DatasetId, ds: Dataset, recipe: Recipe) -> Option<DatasetId> {
        self.next_id += 1;
        let new = self.next_id;
        let e = self.entries.iter_mut().find(|e| e.id == id)?;
        let mut ds = ds;
        ds.name.clone_from(&e.data.name);
        let key = recipe_key(&ds);
        if recipe.is_empty() {
            self.recipes.remove(&key);
        } else {
            self.recipes.insert(key, recipe.clone());
        }
        e.data = Arc::new(ds);
        e.id = new;
        e.recipe = recipe;
        if self.selected == Some(id) {
            self.selected = Some(new);
        }
        Some(new)
    }

    /// Make a change to dataset `id` in a job; the new table takes its place when done.
    pub fn change(&mut self, jobs: &JobRunner, id: DatasetId, step: Step) -> Result<(), JobError> {
        let Some(e) = self.get(id) else {
            return Ok(());
        };
        let (data, recipe) = (e.data.clone(), e.recipe.with(step.clone()));
        let handle = jobs.spawn(
            format!("change:{id}"),
            format!("{}: {}", data.name, step.describe()),
            move |_| {
                let (frame, note) = recipe::apply_step(&data.name, &data.frame, &step)?;
                Ok((data.with_frame(frame, note.into_iter().collect()), recipe))
            },
        )?;
        self.changes.push((id, handle));
        Ok(())
    }

    /// Undo every change to dataset `id`: read its file (or sample) again, as it is.
    pub(crate) fn reset(&mut self, jobs: &JobRunner, id: DatasetId) -> Result<(), JobError> {
        let Some(e) = self.get(id) else {
            return Ok(());
        };
        let data = e.data.clone();
        self.recipes.remove(&recipe_key(&data));
        match &data.origin {
            Origin::File(p) => {
                let p = p.clone();
                self.load_file(jobs, &p, false)
            }
            Origin::Sample => {
                let name = data.name.clone();
                let handle = jobs.spawn(
                    format!("load:sample:{name}"),
                    format!("Load {name}"),
                    move |_| Ok((data::sample::load(&name)?, Recipe::default())),
                )?;
                self.changes.push((id, handle));
                Ok(())
            }
            // A table made in the app has no file to read again.
            Origin::Made => Ok(()),
        }
    }

    /// Make a table in a job (the rows a filter keeps, a join) and add it as a dataset named
    /// `name`, selected when it arrives; its notes (what did not match) go to the status bar.
    pub(crate) fn add_made(
        &mut self,
        jobs: &JobRunner,
        name: &str,
        make: impl FnOnce() -> anyhow::Result<(polars::prelude::DataFrame, Vec<String>)>
        + Send
        + 'static,
    ) -> Result<(), JobError> {
        let title = name.to_owned();
        let handle = jobs.spawn(format!("made:{name}"), format!("Make {name}"), move |_| {
            let (frame, notes) = make()?;
            Ok(vec![(
                Dataset::made(&title, frame, notes),
                Recipe::default(),
            )])
        })?;
        self.loads.push(Load {
            handle,
            select: true,
            path: None,
            peek: None,
            preview: None,
        });
        Ok(())
    }

    /// The recipes to save with the settings.
    pub fn recipes(&self) -> BTreeMap<String, Recipe> {
        self.recipes.clone()
    }

    /// The recipes saved last time, made again as the files load.
    pub(crate) fn set_recipes(&mut self, recipes: BTreeMap<String, Recipe>) {
        self.recipes = recipes;
    }

    /// A change to dataset `id` is being made.
    pub(crate) fn is_changing(&self, id: DatasetId) -> bool {
        self.changes.iter().any(|(i, _)| *i == id)
    }

    /// The dataset's name, or, when another open dataset has it (two `sales.csv` from different
    /// folders), the name with its folder, then a number: panels choose datasets by name.
    fn distinct_name(&self, ds: &Dataset) -> String {
        let taken = |n: &str| self.entries.iter().any(|e| e.data.name == n);
        if !taken(&ds.name) {
            return ds.name.clone();
        }
        let folder = ds
            .path()
            .and_then(|p| p.parent())
            .and_then(|p| p.file_name())
            .map(|f| f.to_string_lossy().into_owned());
        let base = match folder {
            Some(f) => format!("{} ({f})", ds.name),
            None => ds.name.clone(),
        };
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base} {n}"))
            .find(|n| !taken(n))
            .unwrap_or(base)
    }

    pub fn remove(&mut self, id: DatasetId) {
        self.entries.retain(|e| e.id != id);
        if self.selected == Some(id) {
            self.selected = self.entries.last().map(|e| e.id);
        }
    }

    /// Start loading a file as a job; `select` it when it arrives (a file the user just opened)
    /// or not (a file reopened from the last session, which keeps its selection).
    pub(crate) fn load_file(
        &mut self,
        jobs: &JobRunner,
        path: &Path,
        select: bool,
    ) -> Result<(), JobError> {
        let path = path.to_owned();
        let name = data::file_name(&path);
        // A large CSV or Parquet file shows its first rows while it loads: the job reads them
        // first (a few milliseconds), hands them over, then reads the whole file.
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let peek = (size >= peek::PEEK_FROM).then(|| Arc::new(Mutex::new(None)));
        let (whole, first) = (path.clone(), peek.clone());
        let recipes = self.recipes.clone();
        let handle = jobs.spawn(
            format!("load:{}", path.display()),
            format!("Load {name}"),
            move |ctx| {
                if let Some(slot) = first
                    && let Some(p) = peek::peek_path(&whole)
                {
                    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(p);
                }
                let size = std::fs::metadata(&whole).map_or(0, |m| m.len());
                let message = format!("reading {}", crate::format::bytes(size));
                crate::compute::Progress::report(ctx, 0.0, &message);
                let ds = data::load_path_with(&whole, ctx)?;
                Ok(with_recipes(vec![ds], &recipes))
            },
        )?;
        self.loads.push(Load {
            handle,
            select,
            path: Some(path),
            peek,
            preview: None,
        });
        Ok(())
    }

    /// Files the user opened that have loaded since the last call (for Recent: a file that
    /// failed to open is not one).
    /// What the readers changed in the files loaded since the last call (repeated header
    /// names), for the status bar.
    pub(crate) fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    pub(crate) fn take_opened(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.opened)
    }

    /// Start loading the embedded samples as a job.
    pub(crate) fn load_samples(&mut self, jobs: &JobRunner) {
        let recipes = self.recipes.clone();
        if let Ok(h) = jobs.spawn("load:samples", "Load sample data", move |_| {
            Ok(with_recipes(data::sample::load_all()?, &recipes))
        }) {
            self.loads.push(Load {
                handle: h,
                select: false,
                path: None,
                peek: None,
                preview: None,
            });
        }
    }

    /// Collect finished loads. Returns the errors; selects what arrived.
    pub fn poll(&mut self) -> Vec<JobError> {
        let mut errors = Vec::new();
        let mut arrived = Vec::new();
        for l in &mut self.loads {
            let taken = l
                .peek
                .as_ref()
                .and_then(|slot| slot.lock().unwrap_or_else(PoisonError::into_inner).take());
            if let (Some(p), Some(path)) = (taken, &l.path) {
                l.peek = None;
                l.preview = Some(Preview {
                    path: path.clone(),
                    peek: Arc::new(p),
                    progress: (0.0, String::new()),
                });
            }
            if let Some(pv) = &mut l.preview {
                pv.progress = l.handle.progress();
            }
        }
        self.loads.retain_mut(|l| match l.handle.poll() {
            None => true,
            Some(Ok(sets)) => {
                arrived.extend(sets.into_iter().map(|d| (d, l.select)));
                false
            }
            Some(Err(JobError::Cancelled)) => false,
            Some(Err(e)) => {
                errors.push(e);
                false
            }
        });
        let mut changed = Vec::new();
        self.changes.retain_mut(|(id, h)| match h.poll() {
            None => true,
            Some(Ok(done)) => {
                changed.push((*id, done));
                false
            }
            Some(Err(JobError::Cancelled)) => false,
            Some(Err(e)) => {
                errors.push(e);
                false
            }
        });
        for (id, (ds, recipe)) in changed {
            self.notes.extend(ds.notes.iter().cloned());
            self.replace(id, ds, recipe);
        }
        for ((ds, recipe), select) in arrived {
            self.notes.extend(ds.notes.iter().cloned());
            let name = ds.name.clone();
            if select && let Some(p) = ds.path() {
                self.opened.push(p.to_owned());
            }
            let id = self.add_with(ds, recipe);
            let wanted = self.want.as_deref() == Some(name.as_str());
            if wanted || select || self.selected.is_none() {
                self.selected = Some(id);
                if wanted {
                    self.want = None;
                }
            }
        }
        errors
    }

    /// Paths of the datasets that came from files, to reopen next time.
    pub fn open_files(&self) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter_map(|e| e.data.path().map(Path::to_owned))
            .collect()
    }
}
