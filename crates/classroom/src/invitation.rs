//! How students reach the vote: the page's address on the chosen interface, with the join
//! code in it so that scanning the projector's QR code fills the code in, and the QR code
//! itself as a matrix of dark and light modules for the projector to draw.

use std::net::SocketAddr;

use qrcode::{Color, EcLevel, QrCode};

use crate::ballot::JoinCode;

/// The page's address as it is shown: `http://192.168.1.20:8470/`.
pub fn page_address(server: SocketAddr) -> String {
    format!("http://{server}/")
}

/// The address the QR code carries: the page's, with the join code filled in.
pub fn scan_address(server: SocketAddr, code: &JoinCode) -> String {
    format!("http://{server}/?code={}", code.as_str())
}

/// A QR code's modules, row by row: `true` is dark. Drawn with a quiet zone of four modules
/// around it (the standard's margin, which the drawing adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// The QR code of `text`, at error correction level M (15% of the code may be lost: a
    /// projector's glare on part of the code still scans). `None` if the text is too long
    /// for a QR code, which no address is.
    pub fn of(text: &str) -> Option<QrMatrix> {
        let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
        Some(QrMatrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_carries_the_page_and_the_code_and_has_its_finder_patterns() {
        let server: SocketAddr = "192.168.1.20:8470".parse().unwrap();
        let code = JoinCode::parse("ACD347").unwrap();
        assert_eq!(page_address(server), "http://192.168.1.20:8470/");
        let scanned = scan_address(server, &code);
        assert_eq!(scanned, "http://192.168.1.20:8470/?code=ACD347");
        let qr = QrMatrix::of(&scanned).unwrap();
        // A version-3 code (29 modules) holds a 38-character address at level M.
        assert_eq!(qr.width, 29);
        assert_eq!(qr.dark.len(), 29 * 29);
        // The three finder patterns: a dark 7x7 ring in three corners, light inside its edge.
        for (x0, y0) in [(0, 0), (qr.width - 7, 0), (0, qr.width - 7)] {
            for i in 0..7 {
                assert!(qr.is_dark(x0 + i, y0) && qr.is_dark(x0, y0 + i));
                assert!(qr.is_dark(x0 + i, y0 + 6) && qr.is_dark(x0 + 6, y0 + i));
            }
            assert!(!qr.is_dark(x0 + 1, y0 + 1) && qr.is_dark(x0 + 3, y0 + 3));
        }
    }
}
