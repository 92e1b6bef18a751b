fn main() -> std::process::ExitCode {
    calldb::cli::main()
}
