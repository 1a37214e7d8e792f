/// Collection review for curators: an inventory before release and a leftover-identity check after.
/// (Being built: InventoryScanner, InventoryReport, LeftoverCheck.)
public enum ReviewModule {}
