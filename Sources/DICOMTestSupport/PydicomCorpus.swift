/// The test files pydicom bundles (pydicom 3.0.2, installed by Scripts/setup.sh): real files from many
/// vendors that no fixture of ours imitates.
public enum PydicomCorpus {
    /// Their paths, sorted; empty when python3 or pydicom is missing.
    public static let files: [String] = {
        let script = """
        from pydicom.data import get_testdata_files
        import os
        for f in sorted(get_testdata_files()):
            if os.path.isfile(f):
                print(f)
        """
        guard let python = ExternalTool.find("python3"),
              let outcome = try? python.run(["-c", script]), outcome.status == 0 else { return [] }
        return outcome.stdoutText.split(separator: "\n").map(String.init)
    }()
}
