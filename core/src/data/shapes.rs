//! Seeded colour images of shapes on textured backgrounds (`playbook gen shapes`), to try the
//! Images panel on larger colour images than the digits: one class per shape (circle, square,
//! triangle, cross, ring, diamond, bar, star), each drawn at a random place, size, rotation-free
//! orientation and colour over a background of random blotches and noise.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::NamedFile;

/// The shapes, in class order.
pub(crate) const SHAPES: [&str; 8] = [
    "circle", "square", "triangle", "cross", "ring", "diamond", "bar", "star",
];

/// Whether (x, y), relative to the shape's centre and in units of its radius, is inside it.
fn inside(shape: &str, x: f32, y: f32) -> bool {
    let r = (x * x + y * y).sqrt();
    match shape {
        "circle" => r <= 1.0,
        "square" => x.abs() <= 0.8 && y.abs() <= 0.8,
        "triangle" => y <= 0.8 && y >= -1.0 + 1.8 * x.abs(),
        "cross" => (x.abs() <= 0.3 && y.abs() <= 1.0) || (y.abs() <= 0.3 && x.abs() <= 1.0),
        "ring" => (0.6..=1.0).contains(&r),
        "diamond" => x.abs() + y.abs() <= 1.0,
        "bar" => x.abs() <= 1.0 && y.abs() <= 0.25,
        "star" => {
            let angle = y.atan2(x);
            r <= 0.45 + 0.55 * (2.5 * angle).cos().abs().powi(3)
        }
        _ => false,
    }
}

/// `per_class` PNGs of `size`×`size` pixels for each of the first `classes` shapes:
/// `<shape>/<n>.png`.
pub(crate) fn shape_pngs(
    classes: usize,
    per_class: usize,
    size: usize,
    seed: u64,
) -> Result<Vec<NamedFile>, String> {
    if !(2..=SHAPES.len()).contains(&classes) {
        return Err(format!(
            "classes must be from 2 to {}, got {classes}",
            SHAPES.len()
        ));
    }
    if !(1..=10_000).contains(&per_class) {
        return Err(format!(
            "per class must be from 1 to 10000, got {per_class}"
        ));
    }
    if !(8..=512).contains(&size) {
        return Err(format!("size must be from 8 to 512, got {size}"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut files = Vec::with_capacity(classes * per_class);
    for shape in &SHAPES[..classes] {
        for n in 0..per_class {
            let mut img = image::RgbImage::new(size as u32, size as u32);
            // Background: a base colour, a few soft blotches, and pixel noise.
            let base: [f32; 3] = [
                rng.random_range(40.0..200.0),
                rng.random_range(40.0..200.0),
                rng.random_range(40.0..200.0),
            ];
            let blotches: Vec<(f32, f32, f32, [f32; 3])> = (0..4)
                .map(|_| {
                    (
                        rng.random_range(0.0..size as f32),
                        rng.random_range(0.0..size as f32),
                        rng.random_range(size as f32 / 8.0..size as f32 / 3.0),
                        [
                            rng.random_range(-50.0..50.0),
                            rng.random_range(-50.0..50.0),
                            rng.random_range(-50.0..50.0),
                        ],
                    )
                })
                .collect();
            let colour: [f32; 3] = [
                rng.random_range(0.0..255.0),
                rng.random_range(0.0..255.0),
                rng.random_range(0.0..255.0),
            ];
            let radius = rng.random_range(size as f32 * 0.18..size as f32 * 0.35);
            let cx = rng.random_range(radius..size as f32 - radius);
            let cy = rng.random_range(radius..size as f32 - radius);
            for (x, y, px) in img.enumerate_pixels_mut() {
                let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
                let mut c = base;
                for (bx, by, br, shift) in &blotches {
                    let d = ((fx - bx).powi(2) + (fy - by).powi(2)).sqrt();
                    let w = (1.0 - d / br).max(0.0);
                    for k in 0..3 {
                        c[k] += shift[k] * w;
                    }
                }
                if inside(shape, (fx - cx) / radius, (fy - cy) / radius) {
                    c = colour;
                }
                let noise = rng.random_range(-12.0..12.0);
                *px = image::Rgb(c.map(|v| (v + noise).clamp(0.0, 255.0) as u8));
            }
            let mut bytes = Vec::new();
            img.write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .map_err(|e| e.to_string())?;
            files.push((format!("{shape}/{n:05}.png"), bytes));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_seeded_colour_pngs_one_folder_per_class() {
        let a = shape_pngs(3, 4, 32, 7).unwrap();
        assert_eq!(a.len(), 12);
        assert_eq!(a[0].0, "circle/00000.png");
        assert_eq!(a[11].0, "triangle/00003.png");
        assert_eq!(a, shape_pngs(3, 4, 32, 7).unwrap());
        assert_ne!(a, shape_pngs(3, 4, 32, 8).unwrap());
        let img = image::load_from_memory(&a[0].1).unwrap();
        assert_eq!(
            (img.width(), img.height(), img.color().channel_count()),
            (32, 32, 3)
        );
        assert!(shape_pngs(1, 4, 32, 7).is_err() && shape_pngs(3, 0, 32, 7).is_err());
    }

    #[test]
    fn each_shape_covers_a_plausible_share_of_its_box() {
        for shape in SHAPES {
            let n = 200;
            let covered = (0..n * n)
                .filter(|i| {
                    let x = (i % n) as f32 / n as f32 * 2.0 - 1.0;
                    let y = (i / n) as f32 / n as f32 * 2.0 - 1.0;
                    inside(shape, x, y)
                })
                .count() as f64
                / (n * n) as f64;
            assert!((0.1..0.9).contains(&covered), "{shape}: {covered}");
        }
    }
}
