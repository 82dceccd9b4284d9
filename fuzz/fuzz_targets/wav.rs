//! Any bytes as a WAV clip, then its envelope.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(clip) = playbook::data::audio::read_wav_bytes(std::path::Path::new("fuzz.wav"), data)
    {
        let _ = playbook::data::audio::envelopes(&[clip], 10.0, true);
    }
});
