//! Photo processing: accept JPEG, PNG and WebP; decode within pixel and memory caps (no
//! decompression bombs); turn by the EXIF orientation; re-encode as JPEG, which leaves every
//! piece of metadata (GPS!) behind; make a thumbnail; black out rectangles; rotate.

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage};
use std::io::Cursor;

/// Stored photos have at most this long edge: plenty to see a pothole, small on the wire.
pub const MAX_EDGE: u32 = 1600;
pub const THUMB_EDGE: u32 = 320;
/// Refused before decoding: no phone makes larger pictures.
pub const MAX_SOURCE_EDGE: u32 = 12_000;
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
pub const JPEG_QUALITY: u8 = 82;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("Dieses Dateiformat wird nicht angenommen. Bitte senden Sie ein Foto als JPEG, PNG oder WebP.")]
    UnsupportedFormat,
    #[error("Das Bild ist zu groß (höchstens 12000 Pixel je Seite).")]
    TooLarge,
    #[error("Die Bilddatei ist beschädigt oder unvollständig. Bitte versuchen Sie es erneut.")]
    Corrupt,
}

#[derive(Debug, Clone)]
pub struct Processed {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

fn encode_jpeg(img: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    let rgb = img.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&rgb)
        .expect("encoding RGB into memory cannot fail");
    out
}

fn fit(img: DynamicImage, edge: u32) -> DynamicImage {
    if img.width() <= edge && img.height() <= edge {
        img
    } else {
        img.resize(edge, edge, image::imageops::FilterType::Triangle)
    }
}

fn finish(img: DynamicImage) -> Processed {
    let img = fit(img, MAX_EDGE);
    let thumb = fit(img.clone(), THUMB_EDGE);
    Processed {
        jpeg: encode_jpeg(&img),
        thumb: encode_jpeg(&thumb),
        width: img.width(),
        height: img.height(),
    }
}

/// Decodes an upload with limits and re-encodes it. CPU-heavy: call from a blocking task.
pub fn process_upload(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::Corrupt)?;
    match reader.format() {
        Some(ImageFormat::Jpeg) if !jpeg_is_complete(bytes) => return Err(PhotoError::Corrupt),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err(PhotoError::UnsupportedFormat),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_EDGE);
    limits.max_image_height = Some(MAX_SOURCE_EDGE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut decoder = {
        let mut reader = reader;
        reader.limits(limits);
        reader.into_decoder().map_err(classify)?
    };
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(finish(img))
}

/// The JPEG decoder forgives a cut-off file and paints the missing part grey; a photo that
/// arrived half is better asked for again. Inside entropy-coded data 0xFF is always followed by
/// 0x00 or a restart marker, so an end-of-image marker after the first start-of-scan means the
/// file is complete (camera data appended after it does no harm).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let Some(sos) = bytes.windows(2).position(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    bytes[sos..].windows(2).any(|w| w == [0xFF, 0xD9])
}

fn classify(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge,
        image::ImageError::Unsupported(_) => PhotoError::UnsupportedFormat,
        _ => PhotoError::Corrupt,
    }
}

/// A rectangle to black out, in fractions of width and height (0..1), as the office marks it.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Rotates a stored photo by quarter turns clockwise and/or blacks out rectangles, re-encoding
/// both sizes from the stored full-size JPEG.
pub fn edit(jpeg: &[u8], quarter_turns: u8, redact: &[Rect]) -> Result<Processed, PhotoError> {
    let img = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).map_err(classify)?;
    let img = match quarter_turns % 4 {
        1 => img.rotate90(),
        2 => img.rotate180(),
        3 => img.rotate270(),
        _ => img,
    };
    let mut rgb: RgbImage = img.to_rgb8();
    let (w, h) = (rgb.width() as f64, rgb.height() as f64);
    for r in redact {
        let clamp = |v: f64| v.clamp(0.0, 1.0);
        let (x0, y0) = ((clamp(r.x) * w) as u32, (clamp(r.y) * h) as u32);
        let (x1, y1) = (
            (clamp(r.x + r.w) * w).ceil() as u32,
            (clamp(r.y + r.h) * h).ceil() as u32,
        );
        for y in y0..y1.min(rgb.height()) {
            for x in x0..x1.min(rgb.width()) {
                rgb.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
    }
    Ok(finish(DynamicImage::ImageRgb8(rgb)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn shrinks_to_the_long_edge_and_makes_a_thumbnail() {
        let p = process_upload(&png(4000, 3000)).unwrap();
        assert_eq!((p.width, p.height), (1600, 1200));
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 240));
        assert_eq!(&p.jpeg[..2], &[0xFF, 0xD8], "JPEG");
    }

    #[test]
    fn refuses_other_formats_and_broken_files() {
        assert_eq!(
            process_upload(b"GIF89a....").unwrap_err(),
            PhotoError::UnsupportedFormat
        );
        assert_eq!(
            process_upload(b"%PDF-1.4 hello").unwrap_err(),
            PhotoError::UnsupportedFormat
        );
        let jpeg = process_upload(&png(200, 100)).unwrap().jpeg;
        assert_eq!(
            process_upload(&jpeg[..jpeg.len() / 3]).unwrap_err(),
            PhotoError::Corrupt
        );
    }

    #[test]
    fn redaction_blacks_out_and_rotation_turns() {
        let jpeg = process_upload(&png(400, 200)).unwrap().jpeg;
        let edited = edit(
            &jpeg,
            1,
            &[Rect {
                x: 0.0,
                y: 0.0,
                w: 0.5,
                h: 0.5,
            }],
        )
        .unwrap();
        assert_eq!((edited.width, edited.height), (200, 400), "a quarter turn");
        let img = image::load_from_memory(&edited.jpeg).unwrap().to_rgb8();
        let Rgb([r, g, b]) = *img.get_pixel(20, 20);
        assert!(r < 20 && g < 20 && b < 20, "black: {r} {g} {b}");
        let Rgb([r, g, b]) = *img.get_pixel(180, 380);
        assert!(
            r as u32 + g as u32 + b as u32 > 60,
            "untouched: {r} {g} {b}"
        );
    }
}
