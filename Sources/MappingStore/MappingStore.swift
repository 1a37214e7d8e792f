/// Mapping database for sequential identifiers and lookups (placeholder, being built).
public enum MappingStoreModule {}
