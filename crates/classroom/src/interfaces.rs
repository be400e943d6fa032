//! The network interfaces the class vote can be bound to: this machine's IPv4 addresses, each
//! with its interface's name, so the instructor picks the classroom's network (and never
//! opens the vote on every interface at once). IPv4 only: a phone types or scans an IPv4
//! address far more easily, and every school network offers one.

use std::net::{IpAddr, Ipv4Addr};

/// One address the vote can be bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// The interface's name (`eth0`, `wlan0`, `lo`).
    pub name: String,
    pub address: IpAddr,
}

impl Interface {
    /// Only this computer can reach it: for a trial run, not for a class.
    pub fn is_loopback(&self) -> bool {
        self.address.is_loopback()
    }

    /// How the interface is named in the instructor's choice.
    pub fn label(&self) -> String {
        if self.is_loopback() {
            format!("{} ({}, this computer only)", self.address, self.name)
        } else {
            format!("{} ({})", self.address, self.name)
        }
    }
}

/// The machine's IPv4 interfaces that are up, the classroom's likely ones (not loopback)
/// first, then loopback; in the system's order otherwise.
pub fn list() -> Vec<Interface> {
    let mut found = system_interfaces();
    found.sort_by_key(Interface::is_loopback);
    found.dedup();
    found
}

/// The interface a class is offered first: the first that is not loopback, or loopback.
pub fn default_choice(interfaces: &[Interface]) -> Option<&Interface> {
    interfaces
        .iter()
        .find(|i| !i.is_loopback())
        .or_else(|| interfaces.first())
}

#[cfg(unix)]
fn system_interfaces() -> Vec<Interface> {
    let mut found = Vec::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `list` with a linked list it owns; it is read here and freed
    // once with freeifaddrs, and no pointer into it outlives this function.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return found;
        }
        let mut at = list;
        while !at.is_null() {
            let entry = &*at;
            at = entry.ifa_next;
            let up = entry.ifa_flags & (libc::IFF_UP as libc::c_uint) != 0;
            if !up || entry.ifa_addr.is_null() || entry.ifa_name.is_null() {
                continue;
            }
            if i32::from((*entry.ifa_addr).sa_family) != libc::AF_INET {
                continue;
            }
            let v4 = &*(entry.ifa_addr as *const libc::sockaddr_in);
            let address = Ipv4Addr::from(u32::from_be(v4.sin_addr.s_addr));
            let name = std::ffi::CStr::from_ptr(entry.ifa_name)
                .to_string_lossy()
                .into_owned();
            found.push(Interface {
                name,
                address: IpAddr::V4(address),
            });
        }
        libc::freeifaddrs(list);
    }
    found
}

#[cfg(not(unix))]
fn system_interfaces() -> Vec<Interface> {
    // Elsewhere only this computer is offered.
    vec![Interface {
        name: "loopback".to_string(),
        address: IpAddr::V4(Ipv4Addr::LOCALHOST),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loopback_interface_is_listed_last_and_only_chosen_when_alone() {
        let found = list();
        let loopback = found
            .iter()
            .position(Interface::is_loopback)
            .expect("every machine has a loopback interface");
        assert!(found[loopback..].iter().all(Interface::is_loopback));
        let lo = Interface {
            name: "lo".into(),
            address: IpAddr::V4(Ipv4Addr::LOCALHOST),
        };
        let lan = Interface {
            name: "eth0".into(),
            address: "192.168.1.20".parse().unwrap(),
        };
        assert_eq!(default_choice(&[lo.clone(), lan.clone()]), Some(&lan));
        assert_eq!(default_choice(std::slice::from_ref(&lo)), Some(&lo));
        assert!(lo.label().contains("this computer only"));
        assert_eq!(lan.label(), "192.168.1.20 (eth0)");
    }
}
