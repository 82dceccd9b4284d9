//! Coordinate systems: a projected file's coordinates brought back to WGS 84 longitude and
//! latitude, which is what the joins, H3 cells and maps read. A shapefile says its system in
//! its `.prj` (WKT 1, in OGC or ESRI wording), a GeoJSON file in its legacy `crs` member, and
//! the command line's `--crs` names one for a file that says nothing. The projection
//! mathematics is proj4rs's (a pure-Rust port of PROJ.4); this module turns WKT or an EPSG code
//! into its proj string.
//!
//! Supported: geographic systems on WGS 84, NAD83 or GRS 80 (read as WGS 84: they differ by
//! about a metre, well under a street's width), Lambert conformal conic (1 and 2 standard
//! parallels: the US State Plane zones such as EPSG:2263), transverse Mercator (UTM), Mercator
//! and Web Mercator, in metres or feet. Datum shifts other than NAD83 ≈ WGS 84 are refused,
//! naming the system.

use geojson::{Geometry, Value};
use proj4rs::proj::Proj;

/// Longest `.prj` read (real ones are under 1 KB).
pub(crate) const MAX_WKT: usize = 64 * 1024;
/// Deepest WKT nesting read (real ones nest 4 deep).
const MAX_DEPTH: usize = 16;

/// A projected coordinate system a file's coordinates can be brought back from.
pub struct Crs {
    /// Its name, as the file or the user gave it.
    pub name: String,
    proj: Proj,
    wgs84: Proj,
}

impl std::fmt::Debug for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crs").field("name", &self.name).finish()
    }
}

impl Crs {
    fn new(name: String, projstring: &str) -> Result<Self, String> {
        let proj = Proj::from_proj_string(projstring)
            .map_err(|e| format!("coordinate system '{name}': {e}"))?;
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|e| format!("WGS 84: {e}"))?;
        Ok(Self { name, proj, wgs84 })
    }

    /// A projected point as WGS 84 (longitude, latitude) in degrees; None when it lies outside
    /// what the projection can invert.
    pub(crate) fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.proj, &self.wgs84, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }

    /// Every position of `geometries` brought back to WGS 84, in place. The first position
    /// that cannot be is an error naming its feature.
    pub(crate) fn reproject(&self, geometries: &mut [Option<Geometry>]) -> Result<(), String> {
        for (i, g) in geometries.iter_mut().enumerate() {
            if let Some(g) = g {
                self.reproject_value(&mut g.value).map_err(|(x, y)| {
                    format!(
                        "feature {i}: ({x}, {y}) is not a position in {} (is it the file's system?)",
                        self.name
                    )
                })?;
                g.bbox = None;
            }
        }
        Ok(())
    }

    fn reproject_value(&self, v: &mut Value) -> Result<(), (f64, f64)> {
        let one = |p: &mut Vec<f64>| -> Result<(), (f64, f64)> {
            let (x, y) = (p.first().copied(), p.get(1).copied());
            let (Some(x), Some(y)) = (x, y) else {
                return Ok(());
            };
            let (lon, lat) = self.to_wgs84(x, y).ok_or((x, y))?;
            p[0] = lon;
            p[1] = lat;
            Ok(())
        };
        match v {
            Value::Point(p) => one(p),
            Value::MultiPoint(ps) | Value::LineString(ps) => ps.iter_mut().try_for_each(one),
            Value::MultiLineString(ls) | Value::Polygon(ls) => {
                ls.iter_mut().flatten().try_for_each(one)
            }
            Value::MultiPolygon(polys) => polys.iter_mut().flatten().flatten().try_for_each(one),
            Value::GeometryCollection(gs) => gs
                .iter_mut()
                .try_for_each(|g| self.reproject_value(&mut g.value)),
        }
    }
}

const REPROJECTED: &str = "coordinates reprojected from";

/// What a reader says when it brought a file's coordinates back to WGS 84.
pub fn note(file: &str, crs: &Crs) -> String {
    format!(
        "{file}: {REPROJECTED} {} to WGS 84 longitude/latitude",
        crs.name
    )
}

/// Whether a dataset's reader already reprojected it (its notes say so).
pub(crate) fn was_reprojected(notes: &[String]) -> bool {
    notes.iter().any(|n| n.contains(REPROJECTED))
}

/// `data` with its geometries brought back to WGS 84 from the system `code` names (the command
/// line's `--crs`, for a file that does not say its own); None when the code is WGS 84 itself.
/// A file whose reader already reprojected it, or without geometries, is an error.
pub fn reprojected(data: &super::Dataset, code: &str) -> Result<Option<super::Dataset>, String> {
    let Some(geometries) = &data.geometries else {
        return Err(format!(
            "{}: a coordinate system applies to GeoJSON and shapefile geometries; this file has none",
            data.name
        ));
    };
    if was_reprojected(&data.notes) {
        return Err(format!(
            "{}: the file declares its own coordinate system; leave out {code}",
            data.name
        ));
    }
    let Some(system) = from_code(code)? else {
        return Ok(None);
    };
    let mut geometries = geometries.clone();
    system
        .reproject(&mut geometries)
        .map_err(|e| format!("{}: {e}", data.name))?;
    let mut notes = data.notes.clone();
    notes.push(note(&data.name, &system));
    Ok(Some(super::Dataset {
        name: data.name.clone(),
        origin: data.origin.clone(),
        frame: data.frame.clone(),
        geometries: Some(geometries),
        notes,
    }))
}

/// The system an EPSG code names (`EPSG:2263`, `epsg:32618` or `2263`): None for WGS 84
/// longitude/latitude (4326, CRS84), which needs nothing.
pub(crate) fn from_code(code: &str) -> Result<Option<Crs>, String> {
    let c = code.trim();
    let digits = c
        .rsplit([':', '/'])
        .next()
        .unwrap_or(c)
        .trim_start_matches("EPSG")
        .trim();
    if c.to_ascii_uppercase().ends_with("CRS84") {
        return Ok(None);
    }
    let Ok(n) = digits.parse::<u32>() else {
        return Err(format!(
            "'{code}' is not an EPSG code (for example EPSG:2263 or EPSG:32618)"
        ));
    };
    let projstring = match n {
        4326 | 4269 | 4258 => return Ok(None),
        3857 | 900913 => "+proj=webmerc +a=6378137 +b=6378137 +units=m".to_owned(),
        2263 => "+proj=lcc +lat_1=41.03333333333333 +lat_2=40.66666666666666 \
                 +lat_0=40.16666666666666 +lon_0=-74 +x_0=300000 +y_0=0 +ellps=GRS80 \
                 +units=us-ft"
            .to_owned(),
        32601..=32660 => format!("+proj=utm +zone={} +datum=WGS84 +units=m", n - 32600),
        32701..=32760 => format!("+proj=utm +zone={} +south +datum=WGS84 +units=m", n - 32700),
        26901..=26923 => format!("+proj=utm +zone={} +ellps=GRS80 +units=m", n - 26900),
        _ => {
            return Err(format!(
                "EPSG:{n} is not one Playbook can reproject by its code: use EPSG:4326, 3857, \
                 2263, a UTM zone (326xx, 327xx, 269xx), or a shapefile whose .prj describes it"
            ));
        }
    };
    Crs::new(format!("EPSG:{n}"), &projstring).map(Some)
}

/// The system a `.prj` (WKT 1) describes: None for geographic WGS 84 (or NAD83, GRS 80).
pub(crate) fn from_wkt(text: &str) -> Result<Option<Crs>, String> {
    if text.len() > MAX_WKT {
        return Err(format!(
            "the coordinate system text is {} bytes long",
            text.len()
        ));
    }
    let root = Parser {
        s: text.as_bytes(),
        i: 0,
    }
    .node(0)?;
    let name = root.text(0).unwrap_or("unnamed").to_owned();
    match root.keyword.as_str() {
        "GEOGCS" | "GEOGCRS" => {
            check_datum(&root, &name)?;
            Ok(None)
        }
        "PROJCS" | "PROJCRS" => {
            let geog = root
                .child("GEOGCS")
                .ok_or_else(|| format!("'{name}': no GEOGCS inside"))?;
            check_datum(geog, &name)?;
            let projstring = projstring(&root, geog, &name)?;
            Crs::new(name, &projstring).map(Some)
        }
        other => Err(format!(
            "'{name}': a {other} coordinate system (Playbook reads geographic or projected ones)"
        )),
    }
}

/// A WKT name compared without case, spaces or underscores (`Lambert_Conformal_Conic` and
/// `Lambert Conformal Conic` alike).
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Datums read as WGS 84: WGS 84 itself and NAD83 / GRS 80 (a metre apart).
fn check_datum(geog: &Node, name: &str) -> Result<(), String> {
    let datum = geog
        .child("DATUM")
        .and_then(|d| d.text(0))
        .unwrap_or_default();
    let key = key(datum);
    let ok = ["wgs1984", "wgs84", "northamerican1983", "nad83"]
        .iter()
        .any(|d| key.contains(d));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{name}': datum '{datum}' needs a datum shift Playbook does not make (it reads \
             WGS 84 and NAD83); reproject the file to EPSG:4326 first"
        ))
    }
}

/// The proj string of a PROJCS: its projection, parameters, ellipsoid and linear unit.
fn projstring(root: &Node, geog: &Node, name: &str) -> Result<String, String> {
    let method = root
        .child("PROJECTION")
        .and_then(|p| p.text(0))
        .ok_or_else(|| format!("'{name}': no PROJECTION"))?;
    let param = |wanted: &[&str]| -> Option<f64> {
        root.children("PARAMETER").find_map(|p| {
            let k = key(p.text(0)?);
            wanted
                .iter()
                .any(|w| k == *w)
                .then(|| p.number(1))
                .flatten()
        })
    };
    // The linear unit: the PROJCS's own UNIT (metres when it has none).
    let to_meter = root.child("UNIT").and_then(|u| u.number(1)).unwrap_or(1.0);
    if !(to_meter.is_finite() && to_meter > 0.0) {
        return Err(format!("'{name}': unit of {to_meter} metres"));
    }
    let fe = param(&["falseeasting"]).unwrap_or(0.0) * to_meter;
    let fn_ = param(&["falsenorthing"]).unwrap_or(0.0) * to_meter;
    let lon0 = param(&["centralmeridian", "longitudeoforigin", "longitudeofcenter"]).unwrap_or(0.0);
    let lat0 = param(&["latitudeoforigin", "latitudeofcenter"]).unwrap_or(0.0);
    let k0 = param(&["scalefactor"]).unwrap_or(1.0);
    let sp1 = param(&["standardparallel1"]);
    let sp2 = param(&["standardparallel2"]);
    let (a, rf) = geog
        .child("DATUM")
        .and_then(|d| d.child("SPHEROID"))
        .and_then(|s| Some((s.number(1)?, s.number(2)?)))
        .unwrap_or((6_378_137.0, 298.257_223_563));
    let ellipsoid = if rf == 0.0 {
        format!("+a={a} +b={a}")
    } else {
        format!("+a={a} +rf={rf}")
    };
    let m = key(method);
    let proj = match m.as_str() {
        "lambertconformalconic" | "lambertconformalconic2sp" => {
            let (Some(sp1), sp2) = (sp1, sp2) else {
                return Err(format!(
                    "'{name}': a Lambert conic without its standard parallels"
                ));
            };
            let sp2 = sp2.unwrap_or(sp1);
            format!("+proj=lcc +lat_1={sp1} +lat_2={sp2} +lat_0={lat0} +lon_0={lon0} +k_0={k0}")
        }
        "lambertconformalconic1sp" => {
            format!("+proj=lcc +lat_1={lat0} +lat_0={lat0} +lon_0={lon0} +k_0={k0}")
        }
        "transversemercator" | "gausskruger" => {
            format!("+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k_0={k0}")
        }
        "mercator" | "mercator1sp" | "mercator2sp" => match sp1 {
            Some(ts) => format!("+proj=merc +lat_ts={ts} +lon_0={lon0}"),
            None => format!("+proj=merc +lon_0={lon0} +k_0={k0}"),
        },
        "mercatorauxiliarysphere" | "popularvisualisationpseudomercator" => {
            // Web Mercator: the ellipsoid's coordinates drawn on a sphere of its major axis.
            return Ok(format!(
                "+proj=webmerc +a={a} +b={a} +lon_0={lon0} +x_0={fe} +y_0={fn_} +to_meter={to_meter}"
            ));
        }
        _ => {
            return Err(format!(
                "'{name}': the {method} projection is not one Playbook reprojects (Lambert conic, \
                 transverse Mercator and UTM, Mercator); reproject the file to EPSG:4326 first"
            ));
        }
    };
    Ok(format!(
        "{proj} +x_0={fe} +y_0={fn_} {ellipsoid} +to_meter={to_meter}"
    ))
}

/// A WKT node: `KEYWORD["text", 1.5, CHILD[...], ...]`.
#[derive(Debug)]
struct Node {
    keyword: String,
    items: Vec<Item>,
}

#[derive(Debug)]
enum Item {
    Text(String),
    Number(f64),
    Node(Node),
    /// A bare word (an axis direction such as NORTH).
    Word,
}

impl Node {
    fn text(&self, k: usize) -> Option<&str> {
        match self.items.get(k)? {
            Item::Text(t) => Some(t),
            _ => None,
        }
    }

    fn number(&self, k: usize) -> Option<f64> {
        match self.items.get(k)? {
            Item::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn children<'a, 'k>(
        &'a self,
        keyword: &'k str,
    ) -> impl Iterator<Item = &'a Node> + use<'a, 'k> {
        self.items.iter().filter_map(move |i| match i {
            Item::Node(n) if n.keyword.eq_ignore_ascii_case(keyword) => Some(n),
            _ => None,
        })
    }

    fn child(&self, keyword: &str) -> Option<&Node> {
        self.children(keyword).next()
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn error(&self, what: &str) -> String {
        format!(
            "the coordinate system text is not WKT: {what} at byte {}",
            self.i
        )
    }

    fn node(&mut self, depth: usize) -> Result<Node, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deep"));
        }
        self.skip_space();
        let keyword = self.word().to_ascii_uppercase();
        if keyword.is_empty() {
            return Err(self.error("a keyword expected"));
        }
        self.skip_space();
        let close = match self.s.get(self.i) {
            Some(b'[') => b']',
            Some(b'(') => b')',
            _ => return Err(self.error("'[' expected")),
        };
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.s.get(self.i) {
                None => return Err(self.error("the text ends inside a bracket")),
                Some(c) if *c == close => {
                    self.i += 1;
                    return Ok(Node { keyword, items });
                }
                Some(b',') => self.i += 1,
                Some(b'"') => {
                    self.i += 1;
                    let start = self.i;
                    while self.s.get(self.i).is_some_and(|c| *c != b'"') {
                        self.i += 1;
                    }
                    if self.i >= self.s.len() {
                        return Err(self.error("a quote is not closed"));
                    }
                    items.push(Item::Text(
                        String::from_utf8_lossy(&self.s[start..self.i]).into_owned(),
                    ));
                    self.i += 1;
                }
                Some(c) if c.is_ascii_digit() || *c == b'-' || *c == b'+' || *c == b'.' => {
                    let start = self.i;
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(c))
                    {
                        self.i += 1;
                    }
                    let t = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    let n = t
                        .parse::<f64>()
                        .map_err(|_| self.error(&format!("'{t}' is not a number")))?;
                    items.push(Item::Number(n));
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let save = self.i;
                    let _ = self.word();
                    self.skip_space();
                    if matches!(self.s.get(self.i), Some(b'[' | b'(')) {
                        self.i = save;
                        items.push(Item::Node(self.node(depth + 1)?));
                    } else {
                        items.push(Item::Word);
                    }
                }
                Some(_) => return Err(self.error("an unexpected character")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EPSG:2263 as GDAL writes it into a shapefile's .prj (ESRI wording, US survey feet).
    const NY_LONG_ISLAND_ESRI: &str = r#"PROJCS["NAD_1983_StatePlane_New_York_Long_Island_FIPS_3104_Feet",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",984250.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-74.0],PARAMETER["Standard_Parallel_1",40.66666666666666],PARAMETER["Standard_Parallel_2",41.03333333333333],PARAMETER["Latitude_Of_Origin",40.16666666666666],UNIT["Foot_US",0.3048006096012192]]"#;

    /// `pyproj.Transformer.from_crs(src, 4326, always_xy=True).transform(x, y)` (pyproj 3.7.2,
    /// PROJ 9), the published implementation these are checked against.
    fn near(crs: &Crs, (x, y): (f64, f64), (lon, lat): (f64, f64)) {
        let (got_lon, got_lat) = crs.to_wgs84(x, y).unwrap();
        assert!(
            (got_lon - lon).abs() < 1e-7 && (got_lat - lat).abs() < 1e-7,
            "{}: ({x}, {y}) gave ({got_lon}, {got_lat}), pyproj ({lon}, {lat})",
            crs.name
        );
    }

    #[test]
    fn state_plane_feet_come_back_to_longitude_and_latitude() {
        // Times Square in EPSG:2263 feet, from the .prj GDAL writes and from the code alike.
        for crs in [
            from_wkt(NY_LONG_ISLAND_ESRI).unwrap().unwrap(),
            from_code("EPSG:2263").unwrap().unwrap(),
        ] {
            near(
                &crs,
                (988_130.0, 215_600.0),
                (-73.98599468758027, 40.7584477880201),
            );
        }
    }

    #[test]
    fn geographic_systems_need_nothing_and_others_are_named() {
        let wgs84 = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert!(from_wkt(wgs84).unwrap().is_none());
        assert!(from_code("EPSG:4326").unwrap().is_none());
        assert!(
            from_code("urn:ogc:def:crs:OGC:1.3:CRS84")
                .unwrap()
                .is_none()
        );
        let osgb = r#"GEOGCS["OSGB 1936",DATUM["OSGB_1936",SPHEROID["Airy 1830",6377563.396,299.3249646]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;
        let e = from_wkt(osgb).unwrap_err();
        assert!(e.contains("OSGB_1936"), "{e}");
        let e = from_code("EPSG:27700").unwrap_err();
        assert!(e.contains("27700"), "{e}");
        assert!(from_code("not a code").is_err());
    }

    #[test]
    fn utm_and_web_mercator_by_code() {
        let utm = from_code("EPSG:32618").unwrap().unwrap();
        near(&utm, (500_000.0, 0.0), (-75.0, 0.0));
        near(
            &utm,
            (585_000.0, 4_511_000.0),
            (-73.99318644525341, 40.745560810256464),
        );
        let web = from_code("3857").unwrap().unwrap();
        near(
            &web,
            (-8_235_000.0, 4_975_000.0),
            (-73.97626364724259, 40.746349790011),
        );
    }

    #[test]
    fn hostile_wkt_is_an_error_not_a_crash() {
        for bad in [
            "",
            "PROJCS[",
            "PROJCS[\"x\"",
            "PROJCS[\"x\",GEOGCS[\"y\"]]",
            &"A[".repeat(100),
            "PROJCS[\"x\",GEOGCS[\"y\",DATUM[\"WGS_1984\"]],PROJECTION[\"Polyconic\"]]",
            "PROJCS[\"x\",GEOGCS[\"y\",DATUM[\"WGS_1984\"]],PROJECTION[\"Transverse_Mercator\"],UNIT[\"m\",0]]",
        ] {
            assert!(from_wkt(bad).is_err(), "{bad}");
        }
    }
}
