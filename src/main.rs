/// Parsing allocates and frees many small strings on several threads at once; mimalloc's per-thread heaps keep
/// that from contending, where the system allocator spends a tenth of an import in its locks and free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    calldb::cli::main()
}
