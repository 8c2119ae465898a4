use std::path::PathBuf;
fn main() {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let docs = policy_themes::corpus::read_all(&args).unwrap();
    policy_themes::corpus::csv_out::write_segments(&docs, std::io::stdout()).unwrap();
}
