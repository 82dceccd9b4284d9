//! Fraud detection as the book's chapter does it: experts' rules give the first labels
//! (`rules`), a decision tree learns them from transaction features (`features`, `bins`,
//! `tree`: a histogram-based trainer), and the model is judged by PR/ROC curves and a confusion
//! matrix (`metrics`), with a seeded split, class balancing and cross-validation (`train`).

pub mod bins;
pub mod explain;
pub mod features;
pub mod metrics;
pub mod rules;
pub mod train;
pub mod tree;

#[cfg(test)]
mod tests;
