// The zone table is pure data the UI needs too (the 3D twin colours bearing housings by it), so it lives in
// src/shared; the engine keeps importing it from here.
export * from '../../shared/iso20816';
