/// RSNA CTP DicomAnonymizer scripts: parsing, validation and evaluation (placeholder, being built).
public enum CTPScriptModule {}
