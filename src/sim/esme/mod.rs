//! ESME device model (DLMS/COSEM object model). Being written.
