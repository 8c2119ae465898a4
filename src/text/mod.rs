//! Stage 2: tokenize, build the vocabulary, weigh terms by TF-IDF.

pub mod features;
pub mod tfidf;
pub mod tokenize;

pub use features::FeatureConfig;
pub use tfidf::{SparseVec, Vectorizer};
pub use tokenize::Tokenizer;
