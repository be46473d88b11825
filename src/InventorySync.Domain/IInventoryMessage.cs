namespace InventorySync.Domain;

/// <summary>
/// Marker for every type that is persisted or crosses the wire. The project's serializer binds to it,
/// so no project type ever falls back to a reflection-based serializer.
/// </summary>
public interface IInventoryMessage;
