//! One offline binary: `label` and `explain` without `--model` use
//! out/model.json when there is one, else the default model trained on the
//! labels bundled in the binary, cached in the user's cache directory.

mod common;

use std::path::Path;

use common::{bin, default_model, root};

const SEED: &str = "corpus/000_948226ca6efd262f.txt";

/// The command run in `dir` (no labels/, corpus/ or out/ there), with only
/// the given cache variables set.
fn cmd_in(dir: &Path, env: &[(&str, &Path)]) -> assert_cmd::Command {
    let mut c = bin();
    c.current_dir(dir)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("HOME");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(c: &mut assert_cmd::Command) -> (String, String) {
    let o = c.assert().success().get_output().clone();
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn cached_models(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn label_and_explain_work_anywhere_with_the_bundled_model_cached_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (work, cache) = (tmp.path().join("work"), tmp.path().join("cache"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(root().join(SEED), work.join("r.txt")).unwrap();
    let env = [("XDG_CACHE_HOME", cache.as_path())];
    // The model `train` fits on labels/ with the default settings: the
    // bundled one must be the same model.
    let (want, _) = run(bin()
        .args(["label", "-q", "--model"])
        .arg(default_model())
        .arg(SEED));

    let (first, err) = run(cmd_in(&work, &env).args(["label", "r.txt"]));
    assert!(
        err.contains("training the default model on the 1452 labelled paragraphs bundled"),
        "{err}"
    );
    let dir = cache.join("policy-themes");
    let files = cached_models(&dir);
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("default-model-"), "{name}");
    assert_eq!(first.lines().count(), want.lines().count());
    // Same labels; the doc_id is the file's name, which differs.
    let labels = |csv: &str| -> Vec<String> {
        csv.lines()
            .map(|l| l.split_once(',').map_or("", |x| x.1).to_string())
            .collect()
    };
    assert_eq!(labels(&first), labels(&want));

    // The second run reads the cache, says so, and labels the same.
    let (second, err) = run(cmd_in(&work, &env).args(["label", "r.txt"]));
    assert!(
        err.contains("using the default model") && err.contains(&name),
        "{err}"
    );
    assert!(!err.contains("training"), "{err}");
    assert_eq!(second, first);

    // A corrupt cache is rebuilt, never trusted.
    std::fs::write(&files[0], b"{\"format_version\": 5, \"weights\": [").unwrap();
    let (third, err) = run(cmd_in(&work, &env).args(["label", "r.txt"]));
    assert!(err.contains("cached default model is not usable"), "{err}");
    assert!(err.contains("training the default model"), "{err}");
    assert_eq!(third, first);
    let (_, err) = run(cmd_in(&work, &env).args(["label", "r.txt"]));
    assert!(err.contains("using the default model"), "{err}");
    assert_eq!(cached_models(&dir).len(), 1, "no temporary file is left");

    // explain too, with the same terms as the trained model's.
    let (terms, err) = run(cmd_in(&work, &env).args(["explain", "--top", "3"]));
    assert!(err.contains("using the default model"), "{err}");
    let (want_terms, _) = run(bin()
        .args(["explain", "-q", "--top", "3", "--model"])
        .arg(default_model()));
    assert_eq!(terms, want_terms);

    // out/model.json, where analyze leaves it, comes first.
    std::fs::create_dir_all(work.join("out")).unwrap();
    std::fs::copy(default_model(), work.join("out/model.json")).unwrap();
    let (_, err) = run(cmd_in(&work, &env).args(["label", "r.txt"]));
    assert!(err.contains("using out/model.json"), "{err}");
}

#[test]
fn the_cache_falls_back_on_home_and_an_unwritable_cache_only_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let seed = root().join(SEED);
    let (_, err) = run(cmd_in(tmp.path(), &[("HOME", home.as_path())])
        .arg("label")
        .arg(&seed));
    assert!(err.contains("training the default model"), "{err}");
    assert_eq!(cached_models(&home.join(".cache/policy-themes")).len(), 1);
    // A cache "directory" that is a file: the run still labels, with a warning.
    let blocker = tmp.path().join("not-a-dir");
    std::fs::write(&blocker, "x").unwrap();
    let (out, err) = run(cmd_in(tmp.path(), &[("XDG_CACHE_HOME", blocker.as_path())])
        .arg("label")
        .arg(&seed));
    assert!(err.contains("the default model was not cached"), "{err}");
    assert!(out.lines().count() > 10);
}
