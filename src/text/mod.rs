//! Stage 2: tokenize, build the vocabulary, weigh terms by TF-IDF.

pub(crate) mod features;
pub(crate) mod tfidf;
pub(crate) mod tokenize;

pub use features::FeatureConfig;
pub use tfidf::{SparseVec, Vectorizer};
pub use tokenize::Tokenizer;
